// Audit logs (B.4): every mutating call appends an AuditLog with the actionData shape of
// AuditLogServiceImpl.constructActionData, and the tenant administrator reads them back through
// /api/audit/logs[/entity|/user|/customer], filtered by time (startTime default 1, endTime default
// now), by comma-separated, case-insensitive actionTypes, and paged; newest first.
import { randomUUID } from 'node:crypto';
import type { RequestContext, Router } from '../kit/router.js';
import type { Touch } from '../kit/store.js';
import { ok, tenantOnly, type Caller, type Tb } from './api.js';
import { noEnumConstant, parseEntityType, parseUuid } from './errors.js';
import { contains, longParam, pageLink, toPage } from './paging.js';
import { entityId, NULL_UUID, type AuditRec, type EntityId, type TbState, type UserRec } from './state.js';

/** ActionType of ThingsBoard 4.2.1 (B.4). */
export const ACTION_TYPES = [
  'ADDED', 'DELETED', 'UPDATED', 'ATTRIBUTES_UPDATED', 'ATTRIBUTES_DELETED', 'TIMESERIES_UPDATED', 'TIMESERIES_DELETED',
  'RPC_CALL', 'CREDENTIALS_UPDATED', 'ASSIGNED_TO_CUSTOMER', 'UNASSIGNED_FROM_CUSTOMER', 'ACTIVATED', 'SUSPENDED',
  'CREDENTIALS_READ', 'ATTRIBUTES_READ', 'RELATION_ADD_OR_UPDATE', 'RELATION_DELETED', 'RELATIONS_DELETED', 'ALARM_ACK',
  'ALARM_CLEAR', 'ALARM_DELETE', 'ALARM_ASSIGNED', 'ALARM_UNASSIGNED', 'LOGIN', 'LOGOUT', 'LOCKOUT', 'ASSIGNED_FROM_TENANT',
  'ASSIGNED_TO_TENANT', 'PROVISION_SUCCESS', 'PROVISION_FAILURE', 'ASSIGNED_TO_EDGE', 'UNASSIGNED_FROM_EDGE', 'ADDED_COMMENT',
  'UPDATED_COMMENT', 'DELETED_COMMENT', 'SMS_SENT', 'REST_API_RULE_ENGINE_CALL',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export interface AuditEntry {
  user: UserRec;
  entity: EntityId;
  entityName: string;
  actionType: ActionType;
  actionData: Record<string, unknown>;
  /** Set for failed actions: ActionStatus FAILURE with these details. */
  failure?: string;
}

/**
 * Appends one entry; call inside `store.update` (or `store.patch`, passing its `touch`) so the
 * entry commits with the change it records.
 */
export function logAction(s: TbState, now: number, e: AuditEntry, touch?: Touch): void {
  const at = s.audit.push({
    id: randomUUID(),
    createdTime: now,
    customerId: NULL_UUID,
    entityId: e.entity,
    entityName: e.entityName,
    userId: e.user.id,
    userName: e.user.email,
    actionType: e.actionType,
    actionData: e.actionData,
    actionStatus: e.failure === undefined ? 'SUCCESS' : 'FAILURE',
    actionFailureDetails: e.failure ?? null,
  }) - 1;
  touch?.('audit', at);
}

/** Shorthand for handlers: the caller did it. */
export const byCaller = (caller: Caller, rest: Omit<AuditEntry, 'user'>): AuditEntry => ({ user: caller.user, ...rest });

function render(s: TbState, a: AuditRec): Record<string, unknown> {
  const user = s.users.find((u) => u.id === a.userId);
  return {
    id: { id: a.id },
    createdTime: a.createdTime,
    tenantId: entityId('TENANT', user?.tenantId ?? s.tenantId),
    customerId: entityId('CUSTOMER', a.customerId),
    entityId: a.entityId,
    entityName: a.entityName,
    userId: entityId('USER', a.userId),
    userName: a.userName,
    actionType: a.actionType,
    actionData: a.actionData,
    actionStatus: a.actionStatus,
    actionFailureDetails: a.actionFailureDetails,
  };
}

function parseActionTypes(raw: string | null): Set<string> | undefined {
  if (!raw) return undefined;
  const out = new Set<string>();
  for (const part of raw.split(',')) {
    const upper = part.toUpperCase();
    if (!(ACTION_TYPES as readonly string[]).includes(upper)) throw noEnumConstant('org.thingsboard.server.common.data.audit.ActionType', upper);
    out.add(upper);
  }
  return out;
}

export function registerAudit(router: Router, tb: Tb): void {
  const list = (select: (ctx: RequestContext) => (a: AuditRec) => boolean) => tenantOnly((ctx) => {
    const filter = select(ctx);
    const link = pageLink(ctx.query);
    const startTime = longParam(ctx.query, 'startTime', 1)!;
    const endTime = longParam(ctx.query, 'endTime', tb.now())!;
    const types = parseActionTypes(ctx.query.get('actionTypes'));
    const s = tb.store.state;
    const hits = s.audit
      .filter((a) => filter(a) && a.createdTime >= startTime && a.createdTime <= endTime && (!types || types.has(a.actionType)))
      .reverse();
    const page = toPage(hits, link,
      (a, t) => [a.entityId.entityType, a.entityName, a.userName, a.actionType, a.actionStatus].some((v) => contains(v, t)));
    ok(ctx, { ...page, data: page.data.map((a) => render(s, a)) });
  });
  router.get('/api/audit/logs', list(() => () => true));
  router.get('/api/audit/logs/entity/:entityType/:entityId', list((ctx) => {
    const type = parseEntityType(ctx.params['entityType']!);
    const id = parseUuid(ctx.params['entityId']!);
    return (a) => a.entityId.entityType === type && a.entityId.id === id;
  }));
  router.get('/api/audit/logs/user/:userId', list((ctx) => {
    const id = parseUuid(ctx.params['userId']!);
    return (a) => a.userId === id;
  }));
  router.get('/api/audit/logs/customer/:customerId', list((ctx) => {
    const id = parseUuid(ctx.params['customerId']!);
    return (a) => a.customerId === id;
  }));
}
