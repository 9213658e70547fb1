// Alarms (B.4): tenant-wide and per-originator paged queries filtered by searchStatus (ANY, ACTIVE,
// CLEARED, ACK, UNACK) or status (ACTIVE_UNACK, ACTIVE_ACK, CLEARED_UNACK, CLEARED_ACK) — never
// both — and by time; get, create-or-update (a new alarm of a type that is still active on the same
// originator updates that alarm, as createOrUpdateActiveAlarm does), ack, clear and delete. Acking or
// clearing twice is refused with 400 code 31. Actions are audited against the originator.
import { randomUUID } from 'node:crypto';
import type { RequestContext, Router } from '../kit/router.js';
import { isObject, jsonBody, ok, tenantOnly, type Caller, type Tb } from './api.js';
import { byCaller, logAction, type ActionType } from './audit.js';
import { badRequest, noEnumConstant, notFound, parseEntityType, parseUuid } from './errors.js';
import { contains, longParam, pageLink, toPage } from './paging.js';
import { requireDevice } from './devices.js';
import { entityId, findDevice, NULL_UUID, type AlarmRec, type TbState } from './state.js';

export const SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE'];
const SEARCH_STATUSES = ['ANY', 'ACTIVE', 'CLEARED', 'ACK', 'UNACK'];
const STATUSES = ['ACTIVE_UNACK', 'ACTIVE_ACK', 'CLEARED_UNACK', 'CLEARED_ACK'];

const statusOf = (a: AlarmRec): string => `${a.cleared ? 'CLEARED' : 'ACTIVE'}_${a.acknowledged ? 'ACK' : 'UNACK'}`;

export function renderAlarm(s: TbState, a: AlarmRec): Record<string, unknown> {
  return {
    id: entityId('ALARM', a.id),
    createdTime: a.createdTime,
    tenantId: entityId('TENANT', s.tenantId),
    customerId: entityId('CUSTOMER', NULL_UUID),
    type: a.type,
    name: a.type,
    originator: entityId('DEVICE', a.originatorId),
    severity: a.severity,
    acknowledged: a.acknowledged,
    cleared: a.cleared,
    status: statusOf(a),
    assigneeId: null,
    startTs: a.startTs,
    endTs: a.endTs,
    ackTs: a.ackTs,
    clearTs: a.clearTs,
    assignTs: 0,
    details: a.details,
    propagate: a.propagate,
    propagateToOwner: a.propagateToOwner,
    propagateToTenant: a.propagateToTenant,
    propagateRelationTypes: a.propagateRelationTypes,
  };
}

export function renderAlarmInfo(s: TbState, a: AlarmRec): Record<string, unknown> {
  const d = findDevice(s, a.originatorId);
  return { ...renderAlarm(s, a), originatorName: d?.name ?? null, originatorLabel: d?.label ?? null, assignee: null };
}

function requireAlarm(s: TbState, raw: string): AlarmRec {
  const id = parseUuid(raw);
  const a = s.alarms.find((x) => x.id === id);
  if (!a) throw notFound(`Alarm with id [${id}] is not found`);
  return a;
}

export interface AlarmInput { type: string; severity: string; details: unknown; startTs?: number; endTs?: number; propagation?: Partial<AlarmRec> }

/** createOrUpdateActiveAlarm: updates the active alarm of that type on the originator, else creates one. */
export function createOrUpdateActive(s: TbState, originatorId: string, input: AlarmInput, now: number): { alarm: AlarmRec; created: boolean } {
  const active = s.alarms.find((a) => a.originatorId === originatorId && a.type === input.type && !a.cleared);
  if (active) {
    Object.assign(active, { severity: input.severity, details: input.details ?? active.details, endTs: input.endTs ?? now }, input.propagation);
    return { alarm: active, created: false };
  }
  const alarm: AlarmRec = {
    id: randomUUID(), createdTime: now, type: input.type, originatorId, severity: input.severity, acknowledged: false, cleared: false,
    startTs: input.startTs ?? now, endTs: input.endTs ?? input.startTs ?? now, ackTs: 0, clearTs: 0, details: input.details ?? null,
    propagate: false, propagateToOwner: false, propagateToTenant: false, propagateRelationTypes: [], ...input.propagation,
  };
  s.alarms.push(alarm);
  return { alarm, created: true };
}

function audit(tb: Tb, s: TbState, caller: Caller, a: AlarmRec, actionType: ActionType): void {
  // The originator is the audited entity; the alarm (its name is its type) is the logged entity.
  const actionData = actionType === 'ALARM_DELETE' ? {} : { entity: renderAlarm(s, a) };
  logAction(s, tb.now(), byCaller(caller, { entity: entityId('DEVICE', a.originatorId), entityName: a.type, actionType, actionData }));
}

function query(tb: Tb, ctx: RequestContext, originatorId: string | undefined): void {
  const q = ctx.query;
  const link = pageLink(q);
  const searchStatus = q.get('searchStatus') || undefined;
  const status = q.get('status') || undefined;
  if (searchStatus && status) throw badRequest("Invalid alarms search query: Both parameters 'searchStatus' and 'status' can't be specified at the same time!");
  if (searchStatus && !SEARCH_STATUSES.includes(searchStatus)) throw noEnumConstant('org.thingsboard.server.common.data.alarm.AlarmSearchStatus', searchStatus);
  if (status && !STATUSES.includes(status)) throw noEnumConstant('org.thingsboard.server.common.data.alarm.AlarmStatus', status);
  const startTime = longParam(q, 'startTime');
  const endTime = longParam(q, 'endTime');
  const s = tb.store.state;
  const matchesSearch = (a: AlarmRec): boolean => {
    switch (searchStatus) {
      case 'ACTIVE': return !a.cleared;
      case 'CLEARED': return a.cleared;
      case 'ACK': return a.acknowledged;
      case 'UNACK': return !a.acknowledged;
      default: return true;
    }
  };
  const hits = s.alarms
    .filter((a) => (!originatorId || a.originatorId === originatorId) && matchesSearch(a) && (!status || statusOf(a) === status)
      && (startTime === undefined || a.createdTime >= startTime) && (endTime === undefined || a.createdTime <= endTime))
    .reverse() // newest first unless a sortProperty says otherwise
    .map((a) => renderAlarmInfo(s, a));
  ok(ctx, toPage(hits, link, (r, t) => ['type', 'severity', 'status', 'originatorName'].some((k) => contains(r[k], t))));
}

function alarmAction(tb: Tb, kind: 'ack' | 'clear') {
  return tenantOnly((ctx, caller) => {
    const a = requireAlarm(tb.store.state, ctx.params['alarmId']!);
    if (kind === 'ack' && a.acknowledged) throw badRequest('Alarm was already acknowledged!');
    if (kind === 'clear' && a.cleared) throw badRequest('Alarm was already cleared!');
    const info = tb.store.update((s) => {
      const x = s.alarms.find((y) => y.id === a.id)!;
      if (kind === 'ack') Object.assign(x, { acknowledged: true, ackTs: tb.now() });
      else Object.assign(x, { cleared: true, clearTs: tb.now() });
      audit(tb, s, caller, x, kind === 'ack' ? 'ALARM_ACK' : 'ALARM_CLEAR');
      return renderAlarmInfo(s, x);
    });
    ok(ctx, info);
  });
}

function parseInput(body: Record<string, unknown>): AlarmInput {
  const type = body['type'];
  if (typeof type !== 'string' || type.trim() === '') throw badRequest('Alarm type should be specified!');
  const severity = body['severity'];
  if (severity === undefined || severity === null) throw badRequest('Alarm severity should be specified!');
  if (typeof severity !== 'string' || !SEVERITIES.includes(severity)) {
    throw badRequest(`JSON parse error: Cannot deserialize value of type \`org.thingsboard.server.common.data.alarm.AlarmSeverity\` from String "${String(severity)}": not one of the values accepted for Enum class: [${SEVERITIES.join(', ')}]`);
  }
  const num = (k: string): number | undefined => (typeof body[k] === 'number' && (body[k] as number) > 0 ? (body[k] as number) : undefined);
  const propagation: Partial<AlarmRec> = {};
  for (const k of ['propagate', 'propagateToOwner', 'propagateToTenant'] as const) if (typeof body[k] === 'boolean') propagation[k] = body[k];
  if (Array.isArray(body['propagateRelationTypes'])) propagation.propagateRelationTypes = body['propagateRelationTypes'];
  return { type, severity, details: body['details'] ?? null, startTs: num('startTs'), endTs: num('endTs'), propagation };
}

export function registerAlarms(router: Router, tb: Tb): void {
  router.get('/api/alarms', tenantOnly((ctx) => query(tb, ctx, undefined)));
  router.get('/api/alarm/types', tenantOnly((ctx) => {
    const s = tb.store.state;
    const types = [...new Set(s.alarms.map((a) => a.type))].sort((a, b) => a.localeCompare(b, 'en'));
    ok(ctx, toPage(types.map((type) => ({ tenantId: entityId('TENANT', s.tenantId), entityType: 'ALARM', type })), pageLink(ctx.query), (r, t) => contains(r.type, t)));
  }));
  router.get('/api/alarm/info/:alarmId', tenantOnly((ctx) => ok(ctx, renderAlarmInfo(tb.store.state, requireAlarm(tb.store.state, ctx.params['alarmId']!)))));
  router.get('/api/alarm/:alarmId', tenantOnly((ctx) => ok(ctx, renderAlarm(tb.store.state, requireAlarm(tb.store.state, ctx.params['alarmId']!)))));
  router.get('/api/alarm/:entityType/:entityId', tenantOnly((ctx) => {
    const type = parseEntityType(ctx.params['entityType']!);
    if (type !== 'DEVICE') throw notFound("Requested item wasn't found!");
    const d = requireDevice(tb.store.state, ctx.params['entityId']!);
    query(tb, ctx, d.id);
  }));

  router.post('/api/alarm', tenantOnly(async (ctx, caller) => {
    const body = await jsonBody(ctx);
    if (!isObject(body)) throw badRequest('JSON parse error: Cannot deserialize value of type `org.thingsboard.server.common.data.alarm.Alarm` from non-object value');
    const ref = isObject(body['id']) && typeof body['id']['id'] === 'string' ? body['id']['id'] : undefined;
    const existing = ref ? requireAlarm(tb.store.state, ref) : undefined;
    const originator = body['originator'];
    const originatorRaw = isObject(originator) && typeof originator['id'] === 'string' ? originator['id'] : undefined;
    if (!existing && !originatorRaw) throw badRequest('Alarm originator should be specified!');
    const input = parseInput(body);
    const originatorId = existing?.originatorId ?? requireDevice(tb.store.state, originatorRaw!).id;
    const saved = tb.store.update((s) => {
      if (existing) {
        const a = s.alarms.find((x) => x.id === existing.id)!;
        Object.assign(a, { severity: input.severity, details: input.details, endTs: input.endTs ?? a.endTs }, input.propagation);
        audit(tb, s, caller, a, 'UPDATED');
        return renderAlarm(s, a);
      }
      const { alarm, created } = createOrUpdateActive(s, originatorId, input, tb.now());
      audit(tb, s, caller, alarm, created ? 'ADDED' : 'UPDATED');
      return renderAlarm(s, alarm);
    });
    ok(ctx, saved);
  }));

  router.post('/api/alarm/:alarmId/ack', alarmAction(tb, 'ack'));
  router.post('/api/alarm/:alarmId/clear', alarmAction(tb, 'clear'));
  router.delete('/api/alarm/:alarmId', tenantOnly((ctx, caller) => {
    const a = requireAlarm(tb.store.state, ctx.params['alarmId']!);
    tb.store.update((s) => {
      s.alarms = s.alarms.filter((x) => x.id !== a.id);
      audit(tb, s, caller, a, 'ALARM_DELETE');
    });
    ok(ctx, true);
  }));
}
