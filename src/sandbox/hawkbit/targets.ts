// Management API: targets (path id = controllerId), their attributes, assigned/installed
// distribution set and tags. Creation takes an array and answers 201 with the created list;
// a duplicate controllerId (in the store or twice in one request) is 409 entityAlreadyExists.
import { randomBytes } from 'node:crypto';
import type { Router } from '../kit/router.js';
import { callerOf, type Hb } from './context.js';
import { assertAssignable, assign, FORCE_TYPES, lockDs } from './deployment.js';
import { alreadyExists, maintenanceInvalid, notFound, notReadable, validation } from './errors.js';
import { bool, isObject, noContent, num, readArray, readJson, readObject, str } from './http.js';
import { validWindow } from './maintenance.js';
import { audit, lookup, setEntry, touch, type ForceType, type HbState, type MaintenanceWindow, type TargetRec } from './state.js';
import { actionLink } from './actions.js';
import { dsView, tagView, targetView } from './views.js';
import { pagedTargets } from './target-paging.js';

export function getTarget(state: HbState, controllerId: string): TargetRec {
  const t = lookup(state.targets, controllerId);
  if (!t) throw notFound('Target', controllerId);
  return t;
}

/** hawkBit generates a 32-character token when none is given. */
export function newSecurityToken(): string {
  return randomBytes(16).toString('hex');
}

export function newTarget(controllerId: string, now: number, user: string): TargetRec {
  return {
    controllerId, name: controllerId, securityToken: newSecurityToken(), requestAttributes: true,
    updateStatus: 'unknown', attributes: {}, tags: [], ...audit(now, user),
  };
}

export function registerTargets(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;

  router.get('/rest/v1/targets', (ctx) => {
    ctx.send(200, pagedTargets(ctx, hb, (t) => targetView(hb, t, false)));
  });

  router.post('/rest/v1/targets', async (ctx) => {
    const items = await readArray(ctx);
    const user = callerOf(ctx.req);
    const now = hb.now();
    const created = items.map((item) => {
      if (!isObject(item)) throw notReadable();
      const controllerId = str(item, 'controllerId', true)!;
      if (controllerId.trim() === '' || controllerId.length > 256 || /\s/.test(controllerId)) throw notReadable();
      const t = newTarget(controllerId, now, user);
      applyFields(t, item);
      return t;
    });
    const ids = new Set<string>();
    for (const t of created) {
      if (ids.has(t.controllerId) || lookup(state().targets, t.controllerId)) throw alreadyExists();
      ids.add(t.controllerId);
    }
    hb.store.patch((s, touch) => created.forEach((t) => {
      setEntry(s.targets, t.controllerId, t);
      touch('targets', t.controllerId);
    }));
    hb.targets.invalidate();
    ctx.send(201, created.map((t) => targetView(hb, t, true)));
  });

  router.get('/rest/v1/targets/:controllerId', (ctx) => {
    ctx.send(200, targetView(hb, getTarget(state(), ctx.params.controllerId!), true));
  });

  router.put('/rest/v1/targets/:controllerId', async (ctx) => {
    const t = getTarget(state(), ctx.params.controllerId!);
    const body = await readObject(ctx);
    if (bool(body, 'requestAttributes') === false) throw validation('requestAttributes can only be set to true');
    const copy: TargetRec = structuredClone(t);
    applyFields(copy, body);
    if (bool(body, 'requestAttributes') === true) copy.requestAttributes = true;
    touch(copy, hb.now(), callerOf(ctx.req));
    hb.store.patch((s, touch) => {
      setEntry(s.targets, copy.controllerId, copy);
      touch('targets', copy.controllerId);
    });
    ctx.send(200, targetView(hb, copy, true));
  });

  router.delete('/rest/v1/targets/:controllerId', (ctx) => {
    const t = getTarget(state(), ctx.params.controllerId!);
    hb.store.update((s) => {
      delete s.targets[t.controllerId];
      // Actions and their status history go with the target (cascade in hawkBit's schema).
      for (const [id, a] of Object.entries(s.actions)) if (a.controllerId === t.controllerId) delete s.actions[id];
    });
    hb.targets.invalidate();
    noContent(ctx);
  });

  router.get('/rest/v1/targets/:controllerId/attributes', (ctx) => {
    const t = getTarget(state(), ctx.params.controllerId!);
    if (Object.keys(t.attributes).length === 0) return ctx.send(204);
    ctx.send(200, t.attributes);
  });

  for (const which of ['assignedDS', 'installedDS'] as const) {
    router.get(`/rest/v1/targets/:controllerId/${which}`, (ctx) => {
      const t = getTarget(state(), ctx.params.controllerId!);
      const id = which === 'assignedDS' ? t.assignedDs : t.installedDs;
      const ds = id === undefined ? undefined : lookup(state().sets, id);
      if (!ds) return ctx.send(204);
      ctx.send(200, dsView(hb, ds));
    });
  }

  router.post('/rest/v1/targets/:controllerId/assignedDS', async (ctx) => {
    const t = getTarget(state(), ctx.params.controllerId!);
    const body = await readJson(ctx);
    const list = Array.isArray(body) ? body : [body];
    const requests = list.map((item) => {
      if (!isObject(item)) throw notReadable();
      return { dsId: num(item, 'id', true)!, ...assignParams(item) };
    });
    // Everything is checked before anything changes: a refusal leaves the state untouched.
    const sets = requests.map((r) => {
      const ds = lookup(state().sets, r.dsId);
      if (!ds || ds.deleted) throw notFound('DistributionSet', r.dsId);
      assertAssignable(state(), ds);
      return ds;
    });
    const result = hb.store.update((s) => {
      let assigned = 0;
      const actions = [];
      for (const [i, r] of requests.entries()) {
        const a = assign(s, t, sets[i]!, r, callerOf(ctx.req), hb.now());
        if (a) { assigned++; actions.push(a); }
        lockDs(s, sets[i]!);
      }
      return { assigned, alreadyAssigned: requests.length - assigned, total: requests.length, assignedActions: actions.map((a) => actionLink(hb, a)) };
    });
    ctx.send(200, result);
  });

  router.get('/rest/v1/targets/:controllerId/tags', (ctx) => {
    const t = getTarget(state(), ctx.params.controllerId!);
    const tags = t.tags.map((id) => lookup(state().tags, id)).filter((x) => x !== undefined);
    ctx.send(200, tags.sort((a, b) => a.id - b.id).map((tag) => tagView(hb, tag)));
  });
}

/** Optional create/update fields of MgmtTargetRequestBody. */
function applyFields(t: TargetRec, o: Record<string, unknown>): void {
  const name = str(o, 'name');
  if (name !== undefined) t.name = name;
  const description = str(o, 'description');
  if (description !== undefined) t.description = description;
  const address = str(o, 'address');
  if (address !== undefined) {
    if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(address)) throw validation('The given target address is invalid');
    t.address = address;
  }
  const token = str(o, 'securityToken');
  if (token !== undefined && token !== '') t.securityToken = token;
  const group = str(o, 'group');
  if (group !== undefined) t.group = group;
}

/** `type`, `forcetime`, `weight`, `maintenanceWindow` of an assignment request. */
export function assignParams(o: Record<string, unknown>): { type: ForceType; forcetime?: number; weight?: number; maintenanceWindow?: MaintenanceWindow } {
  const type = (str(o, 'type') ?? 'forced').toLowerCase();
  if (!(FORCE_TYPES as readonly string[]).includes(type)) throw notReadable();
  const forcetime = num(o, 'forcetime');
  const weight = num(o, 'weight');
  if (weight !== undefined && (weight < 0 || weight > 1000)) throw validation('weight must be between 0 and 1000');
  const mw = o.maintenanceWindow;
  let maintenanceWindow: MaintenanceWindow | undefined;
  if (isObject(mw)) {
    const schedule = str(mw, 'schedule');
    const duration = str(mw, 'duration');
    const timezone = str(mw, 'timezone');
    if (!schedule || !duration || !timezone || !validWindow({ schedule, duration, timezone })) throw maintenanceInvalid();
    maintenanceWindow = { schedule, duration, timezone };
  } else if (mw !== undefined && mw !== null) throw notReadable();
  return { type: type as ForceType, ...(forcetime === undefined ? {} : { forcetime }), ...(weight === undefined ? {} : { weight }), ...(maintenanceWindow ? { maintenanceWindow } : {}) };
}
