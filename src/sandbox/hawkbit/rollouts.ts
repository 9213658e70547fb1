// Management API: rollouts and their deploy groups. Creation validates like hawkBit 1.1's
// MgmtRolloutResource/JpaRolloutManagement and answers 201 with status `creating`; groups are
// filled by the scheduler pass (rollout-engine.ts). Lifecycle operations answer 204 or the
// `rollout.illegalState` 400.
import type { RequestContext, Router } from '../kit/router.js';
import { callerOf, link, type Hb } from './context.js';
import { assertAssignable, lockDs } from './deployment.js';
import { getDs } from './distribution-sets.js';
import { alreadyExists, HbError, notFound, notReadable, readOnly, rsqlSyntax, validation } from './errors.js';
import { groupFields, rolloutFields, targetFields } from './fields.js';
import { compileFilter } from './fiql.js';
import { bool, isObject, noContent, num, pathId, readObject, str } from './http.js';
import { paged } from './paging.js';
import {
  decideApproval, groupTotals, pauseRollout, planGroups, resumeRollout, rolloutCandidates, rolloutTotals, startRollout, stopRollout, triggerNextGroup,
} from './rollout-engine.js';
import { audit, lookup, nextId, setEntry, touch, type Conditions, type ForceType, type GroupRec, type HbState, type RolloutRec } from './state.js';
import { FORCE_TYPES } from './deployment.js';
import { targetView } from './views.js';

const DEFAULTS: Conditions = {
  successCondition: { condition: 'THRESHOLD', expression: '50' },
  successAction: { action: 'NEXTGROUP', expression: '' },
  errorCondition: { condition: 'THRESHOLD', expression: '50' },
  errorAction: { action: 'PAUSE', expression: '' },
};

/**
 * The unique keys `uk_rollout` (name, tenant) and `uk_rolloutgroup` (name, rollout, tenant): the
 * insert fails with 409 entityAlreadyExists. A soft-deleted rollout still holds its name; a hard
 * delete (nothing ever reached a device) frees it.
 */
function assertNameFree(s: HbState, name: string, except?: number): void {
  if (Object.values(s.rollouts).some((r) => r.name === name && r.id !== except)) throw alreadyExists();
}

/** hawkBit's quota `maxRolloutGroupsPerRollout`. */
const MAX_GROUPS = 500;

function getRollout(state: HbState, id: number): RolloutRec {
  const r = lookup(state.rollouts, id);
  if (!r) throw notFound('Rollout', id);
  return r;
}

/** Condition objects; unknown enum values fail deserialisation (notReadable). */
function conditions(o: Record<string, unknown>, base: Partial<Conditions>): Partial<Conditions> {
  const out: Partial<Conditions> = { ...base };
  const pick = (key: keyof Conditions, field: 'condition' | 'action', allowed: string[]): void => {
    const v = o[key];
    if (v === undefined || v === null) return;
    if (!isObject(v)) throw notReadable();
    const name = (str(v, field) ?? '').toUpperCase();
    if (!allowed.includes(name)) throw notReadable();
    (out as Record<string, unknown>)[key] = { [field]: name, expression: str(v, 'expression') ?? '' };
  };
  pick('successCondition', 'condition', ['THRESHOLD']);
  pick('successAction', 'action', ['NEXTGROUP', 'PAUSE']); // PAUSE exists since 0.10
  pick('errorCondition', 'condition', ['THRESHOLD']);
  pick('errorAction', 'action', ['PAUSE']);
  return out;
}

export function rolloutView(hb: Hb, r: RolloutRec, full: boolean): Record<string, unknown> {
  const state = hb.store.state;
  const base = `/rest/v1/rollouts/${r.id}`;
  const out: Record<string, unknown> = {
    id: r.id, name: r.name, ...(r.description === undefined ? {} : { description: r.description }),
    createdBy: r.createdBy, createdAt: r.createdAt, lastModifiedBy: r.lastModifiedBy, lastModifiedAt: r.lastModifiedAt,
    targetFilterQuery: r.targetFilterQuery, distributionSetId: r.dsId, status: r.status, totalTargets: r.totalTargets,
    forcetime: r.forcetime ?? 0, deleted: r.deleted, type: r.type, dynamic: false,
    ...(r.weight === undefined ? {} : { weight: r.weight }),
  };
  const links: Record<string, unknown> = { self: link(hb, base) };
  if (full) {
    out.totalTargetsPerStatus = rolloutTotals(state, r);
    out.totalGroups = r.groups.length;
    out.startAt = r.startAt ?? null;
    if (r.approvalRemark !== undefined) out.approvalRemark = r.approvalRemark;
    if (r.approveDecidedBy !== undefined) out.approveDecidedBy = r.approveDecidedBy;
    for (const op of ['start', 'pause', 'resume', 'triggerNextGroup', 'approve', 'deny']) links[op] = link(hb, `${base}/${op}`);
    links.groups = link(hb, `${base}/deploygroups?offset=0&limit=50`);
    const ds = lookup(state.sets, r.dsId);
    links.distributionset = link(hb, `/rest/v1/distributionsets/${r.dsId}`, ds ? `${ds.name}:${ds.version}` : undefined);
  }
  out._links = links;
  return out;
}

export function groupView(hb: Hb, r: RolloutRec, g: GroupRec, full: boolean): Record<string, unknown> {
  return {
    id: g.id, name: g.name, ...(g.description === undefined ? {} : { description: g.description }),
    createdBy: g.createdBy, createdAt: g.createdAt, lastModifiedBy: g.lastModifiedBy, lastModifiedAt: g.lastModifiedAt,
    status: g.status, targetPercentage: g.targetPercentage, targetFilterQuery: g.targetFilterQuery, totalTargets: g.totalTargets,
    dynamic: false, successCondition: g.successCondition, successAction: g.successAction, errorCondition: g.errorCondition,
    errorAction: g.errorAction, ...(full ? { totalTargetsPerStatus: groupTotals(hb.store.state, r, g) } : {}),
    _links: { self: link(hb, `/rest/v1/rollouts/${r.id}/deploygroups/${g.id}`) },
  };
}

interface GroupDraft extends Conditions { name: string; description?: string; targetPercentage: number; targetFilterQuery: string; confirmationRequired: boolean }

export function registerRollouts(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;
  const isFull = (ctx: RequestContext): boolean => (ctx.query.get('representation') ?? 'compact').toLowerCase() === 'full';

  router.get('/rest/v1/rollouts', (ctx) => {
    const mode = (ctx.query.get('soft_deleted_mode') ?? 'EXCLUDE_SOFT_DELETED').toUpperCase();
    const list = Object.values(state().rollouts).filter((r) => (mode === 'INCLUDE_SOFT_DELETED' ? true : mode === 'ONLY_SOFT_DELETED' ? r.deleted : !r.deleted));
    const full = isFull(ctx);
    ctx.send(200, paged(ctx, list, rolloutFields(state()), 'id:ASC', (r) => rolloutView(hb, r, full)));
  });

  router.post('/rest/v1/rollouts', async (ctx) => {
    const body = await readObject(ctx);
    const name = str(body, 'name', true)!;
    if (name.trim() === '') throw notReadable();
    const filter = str(body, 'targetFilterQuery');
    // MgmtRolloutResource.create: RSQLParameterSyntaxException for backwards compatibility.
    if (filter === undefined) throw rsqlSyntax('Cannot create a Rollout with an empty target query filter!');
    compileFilter(filter, targetFields(state()));
    const ds = getDs(state(), num(body, 'distributionSetId', true)!);
    assertAssignable(state(), ds);
    const type = (str(body, 'type') ?? 'forced').toLowerCase();
    if (!(FORCE_TYPES as readonly string[]).includes(type)) throw notReadable();
    const rolloutConditions = conditions(body, DEFAULTS) as Conditions;
    const dynamic = bool(body, 'dynamic') ?? false;
    const amountGroups = num(body, 'amountGroups');
    let drafts: GroupDraft[];
    if (body.groups !== undefined && body.groups !== null) {
      if (!Array.isArray(body.groups)) throw notReadable();
      if (dynamic) throw validation('Dynamic rollouts are not supported with groups');
      if (amountGroups !== undefined) throw validation("If 'group' is set the 'amountGroups' must not be set in the request");
      if (body.groups.length === 0) throw validation('The amount of groups cannot be 0');
      drafts = body.groups.map((g) => {
        if (!isObject(g)) throw notReadable();
        const gname = str(g, 'name', true)!;
        const pct = num(g, 'targetPercentage') ?? 100;
        const gfilter = str(g, 'targetFilterQuery') ?? '';
        if (gfilter) compileFilter(gfilter, targetFields(state()));
        if (pct < 1 || pct > 100) throw validation('Target percentage has to be between 1 and 100');
        const description = str(g, 'description');
        return {
          name: gname, ...(description === undefined ? {} : { description }), targetPercentage: pct, targetFilterQuery: gfilter,
          confirmationRequired: bool(g, 'confirmationRequired') ?? bool(body, 'confirmationRequired') ?? false,
          ...(conditions(g, rolloutConditions) as Conditions),
        };
      });
    } else {
      const n = amountGroups ?? 1;
      if (!Number.isInteger(n)) throw notReadable();
      if (n < 0) throw validation('The amount of groups cannot be lower than or equal to zero for static rollouts');
      if (n === 0) throw validation('When amount of groups is 0, the rollouts shall be dynamic and a dynamic group template must be provided');
      drafts = Array.from({ length: n }, (_, i) => ({
        name: `group-${i + 1}`, description: `group-${i + 1}`, targetPercentage: 100 / n, targetFilterQuery: '',
        confirmationRequired: bool(body, 'confirmationRequired') ?? false, ...rolloutConditions,
      }));
    }
    if (drafts.length > MAX_GROUPS) {
      throw new HbError(429, 'org.eclipse.hawkbit.repository.exception.AssignmentQuotaExceededException', 'hawkbit.server.error.quota.tooManyEntries',
        `The amount of groups cannot be greater than ${MAX_GROUPS}`);
    }
    const now = hb.now();
    const total = rolloutCandidates(state(), filter, now).length;
    if (total === 0) throw validation('Rollout does not match any existing targets');
    if (body.groups !== undefined && body.groups !== null) {
      // RolloutHelper.verifyRemainingTargets: explicit groups must cover every matching target.
      const planned = planGroups(state(), { targetFilterQuery: filter, createdAt: now }, drafts).reduce((n, m) => n + m.length, 0);
      if (planned < total) throw validation("Rollout groups don't match all targets that are targeted by the rollout");
    }
    assertNameFree(state(), name);
    if (new Set(drafts.map((d) => d.name)).size < drafts.length) throw alreadyExists();
    const user = callerOf(ctx.req);
    const forcetime = num(body, 'forcetime');
    const startAt = num(body, 'startAt');
    const weight = num(body, 'weight');
    const description = str(body, 'description');
    const rollout = hb.store.update((s) => {
      const r: RolloutRec = {
        id: nextId(s, 'rollout'), name, ...(description === undefined ? {} : { description }), dsId: ds.id, targetFilterQuery: filter,
        type: type as ForceType, ...(forcetime === undefined ? {} : { forcetime }), ...(startAt === undefined ? {} : { startAt }),
        ...(weight === undefined ? {} : { weight }), confirmationRequired: bool(body, 'confirmationRequired') ?? false,
        status: 'creating', totalTargets: total, groups: [], deleted: false, ...audit(now, user),
      };
      for (const d of drafts) {
        const g: GroupRec = { id: nextId(s, 'group'), rolloutId: r.id, ...d, status: 'creating', totalTargets: 0, targets: [], ...audit(now, user) };
        setEntry(s.groups, g.id, g);
        r.groups.push(g.id);
      }
      setEntry(s.rollouts, r.id, r);
      lockDs(s, ds);
      return r;
    });
    ctx.send(201, rolloutView(hb, rollout, true));
  });

  router.get('/rest/v1/rollouts/:id', (ctx) => ctx.send(200, rolloutView(hb, getRollout(state(), pathId(ctx, 'id')), true)));

  router.put('/rest/v1/rollouts/:id', async (ctx) => {
    const r = getRollout(state(), pathId(ctx, 'id'));
    const body = await readObject(ctx);
    if (r.status === 'deleting' || r.status === 'deleted') throw readOnly(`Rollout ${r.id} is soft deleted and cannot be changed`);
    const name = str(body, 'name');
    const description = str(body, 'description');
    if (name !== undefined) assertNameFree(state(), name, r.id);
    hb.store.update(() => {
      if (name !== undefined) r.name = name;
      if (description !== undefined) r.description = description;
      touch(r, hb.now(), callerOf(ctx.req));
    });
    ctx.send(200, rolloutView(hb, r, true));
  });

  router.delete('/rest/v1/rollouts/:id', (ctx) => {
    const r = getRollout(state(), pathId(ctx, 'id'));
    if (r.status !== 'deleting' && r.status !== 'deleted') {
      hb.store.update(() => { r.status = 'deleting'; touch(r, hb.now(), callerOf(ctx.req)); });
    }
    noContent(ctx);
  });

  const op = (path: string, apply: (s: HbState, r: RolloutRec, ctx: RequestContext) => void): void => {
    router.post(`/rest/v1/rollouts/:id/${path}`, (ctx) => {
      const r = getRollout(state(), pathId(ctx, 'id'));
      hb.store.update((s) => apply(s, r, ctx));
      hb.onActionsChanged();
      noContent(ctx);
    });
  };
  op('start', (_s, r, ctx) => startRollout(r, hb.now(), callerOf(ctx.req)));
  op('pause', (_s, r, ctx) => pauseRollout(r, hb.now(), callerOf(ctx.req)));
  op('resume', (s, r, ctx) => resumeRollout(s, r, hb.now(), callerOf(ctx.req)));
  op('triggerNextGroup', (s, r) => triggerNextGroup(s, r, hb.now()));
  op('stop', (_s, r, ctx) => stopRollout(r, hb.now(), callerOf(ctx.req)));
  op('approve', (_s, r, ctx) => decideApproval(r, true, ctx.query.get('remark') ?? undefined, hb.now(), callerOf(ctx.req)));
  op('deny', (_s, r, ctx) => decideApproval(r, false, ctx.query.get('remark') ?? undefined, hb.now(), callerOf(ctx.req)));

  router.post('/rest/v1/rollouts/:id/retry', (ctx) => {
    const src = getRollout(state(), pathId(ctx, 'id'));
    if (src.deleted) throw notFound('Rollout', src.id);
    if (src.status !== 'finished') throw validation('Rollout must be finished in order to be retried!');
    const filter = `failedrollout==${src.id}`;
    const now = hb.now();
    const total = rolloutCandidates(state(), filter, now).length;
    if (total === 0) throw validation('No failed targets in Rollout');
    assertNameFree(state(), `${src.name}_retry`);
    const user = callerOf(ctx.req);
    const rollout = hb.store.update((s) => {
      const r: RolloutRec = {
        id: nextId(s, 'rollout'), name: `${src.name}_retry`, ...(src.description === undefined ? {} : { description: src.description }),
        dsId: src.dsId, targetFilterQuery: filter, type: src.type, ...(src.forcetime === undefined ? {} : { forcetime: src.forcetime }),
        ...(src.weight === undefined ? {} : { weight: src.weight }), confirmationRequired: false,
        status: 'creating', totalTargets: total, groups: [], deleted: false, ...audit(now, user),
      };
      const g: GroupRec = {
        id: nextId(s, 'group'), rolloutId: r.id, name: 'group-1', description: 'group-1', targetPercentage: 100, targetFilterQuery: '',
        confirmationRequired: false, ...DEFAULTS, status: 'creating', totalTargets: 0, targets: [], ...audit(now, user),
      };
      setEntry(s.groups, g.id, g);
      r.groups.push(g.id);
      setEntry(s.rollouts, r.id, r);
      return r;
    });
    ctx.send(201, rolloutView(hb, rollout, true));
  });

  const groupOf = (ctx: RequestContext): { r: RolloutRec; g: GroupRec } => {
    const r = getRollout(state(), pathId(ctx, 'id'));
    const gid = pathId(ctx, 'groupId');
    const g = lookup(state().groups, gid);
    if (!g || g.rolloutId !== r.id) throw notFound('RolloutGroup', gid);
    return { r, g };
  };

  router.get('/rest/v1/rollouts/:id/deploygroups', (ctx) => {
    const r = getRollout(state(), pathId(ctx, 'id'));
    const groups = r.groups.map((id) => lookup(state().groups, id)).filter((g): g is GroupRec => g !== undefined);
    const full = isFull(ctx);
    ctx.send(200, paged(ctx, groups, groupFields(), 'id:ASC', (g) => groupView(hb, r, g, full)));
  });

  router.get('/rest/v1/rollouts/:id/deploygroups/:groupId', (ctx) => {
    const { r, g } = groupOf(ctx);
    ctx.send(200, groupView(hb, r, g, true));
  });

  router.get('/rest/v1/rollouts/:id/deploygroups/:groupId/targets', (ctx) => {
    const { g } = groupOf(ctx);
    const members = g.targets.map((cid) => lookup(state().targets, cid)).filter((t) => t !== undefined);
    ctx.send(200, paged(ctx, members, targetFields(state()), 'controllerId:ASC', (t) => targetView(hb, t, false)));
  });
}
