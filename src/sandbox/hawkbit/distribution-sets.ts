// Management API: distribution sets (create as an array with modules, get, update, delete),
// their modules (`assignedSM`), assigned/installed targets, target assignment
// (`POST …/assignedTargets` with type soft|forced|timeforced|downloadonly and forcetime) and
// invalidation. hawkBit 1.x locks a set implicitly once it is assigned or rolled out.
import type { Router } from '../kit/router.js';
import { actionLink } from './actions.js';
import { callerOf, type Hb } from './context.js';
import { assertAssignable, assign, finishCancellation, lockDs, softCancel } from './deployment.js';
import { alreadyExists, locked, moduleUnsupported, notFound, notReadable, validation } from './errors.js';
import { dsFields, moduleFields } from './fields.js';
import { bool, isObject, noContent, num, pathId, readArray, readObject, str } from './http.js';
import { getModule } from './modules.js';
import { paged } from './paging.js';
import { assignParams, getTarget } from './targets.js';
import { pagedTargets } from './target-paging.js';
import { audit, lookup, nextId, setEntry, touch, type DsRec, type HbState } from './state.js';
import { dsView, moduleView, targetView } from './views.js';

export function getDs(state: HbState, id: number): DsRec {
  const d = lookup(state.sets, id);
  if (!d || d.deleted) throw notFound('DistributionSet', id);
  return d;
}

/** Modules must be of a type the DS type allows, at most `maxAssignments` per type. */
function checkModules(state: HbState, typeId: number, moduleIds: number[]): void {
  const type = lookup(state.dsTypes, typeId)!;
  const perType = new Map<number, number>();
  for (const id of moduleIds) {
    const m = getModule(state, id);
    if (!type.mandatory.includes(m.typeId) && !type.optional.includes(m.typeId)) throw moduleUnsupported();
    perType.set(m.typeId, (perType.get(m.typeId) ?? 0) + 1);
  }
  for (const [smType, count] of perType) {
    if (count > (lookup(state.smTypes, smType)?.maxAssignments ?? 1)) throw validation('Too many software modules of one type for this distribution set');
  }
}

export function registerDistributionSets(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;

  router.get('/rest/v1/distributionsets', (ctx) => {
    const live = Object.values(state().sets).filter((d) => !d.deleted);
    ctx.send(200, paged(ctx, live, dsFields(state()), 'id:ASC', (d) => dsView(hb, d)));
  });

  router.post('/rest/v1/distributionsets', async (ctx) => {
    const items = await readArray(ctx);
    const now = hb.now();
    const user = callerOf(ctx.req);
    const drafts = items.map((item) => {
      if (!isObject(item)) throw notReadable();
      const name = str(item, 'name', true)!;
      const version = str(item, 'version', true)!;
      if (name === '' || version === '') throw notReadable();
      const typeKey = str(item, 'type');
      const type = typeKey === undefined
        ? lookup(state().dsTypes, state().defaultDsType)!
        : Object.values(state().dsTypes).find((t) => t.key === typeKey && !t.deleted);
      if (!type) throw notFound('DistributionSetType', typeKey ?? '');
      const modules = moduleIds(item.modules);
      checkModules(state(), type.id, modules);
      const description = str(item, 'description');
      return {
        name, version, typeId: type.id, modules, requiredMigrationStep: bool(item, 'requiredMigrationStep') ?? false,
        locked: bool(item, 'locked') ?? false, ...(description === undefined ? {} : { description }),
      };
    });
    const seen = new Set(Object.values(state().sets).filter((d) => !d.deleted).map((d) => `${d.name}\u0000${d.version}`));
    for (const d of drafts) {
      if (seen.has(`${d.name}\u0000${d.version}`)) throw alreadyExists();
      seen.add(`${d.name}\u0000${d.version}`);
    }
    const created = hb.store.update((s) => drafts.map((d) => {
      const rec: DsRec = { id: nextId(s, 'ds'), ...d, deleted: false, valid: true, tags: [], ...audit(now, user) };
      setEntry(s.sets, rec.id, rec);
      return rec;
    }));
    ctx.send(201, created.map((d) => dsView(hb, d)));
  });

  router.get('/rest/v1/distributionsets/:dsId', (ctx) => ctx.send(200, dsView(hb, getDs(state(), pathId(ctx, 'dsId')))));

  router.put('/rest/v1/distributionsets/:dsId', async (ctx) => {
    const d = getDs(state(), pathId(ctx, 'dsId'));
    const body = await readObject(ctx);
    const name = str(body, 'name');
    const version = str(body, 'version');
    const description = str(body, 'description');
    const lock = bool(body, 'locked');
    const migration = bool(body, 'requiredMigrationStep');
    const newName = name ?? d.name;
    const newVersion = version ?? d.version;
    if (Object.values(state().sets).some((o) => o.id !== d.id && !o.deleted && o.name === newName && o.version === newVersion)) throw alreadyExists();
    hb.store.update(() => {
      d.name = newName;
      d.version = newVersion;
      if (description !== undefined) d.description = description;
      if (lock !== undefined) d.locked = lock;
      if (migration !== undefined) d.requiredMigrationStep = migration;
      touch(d, hb.now(), callerOf(ctx.req));
    });
    ctx.send(200, dsView(hb, d));
  });

  router.delete('/rest/v1/distributionsets/:dsId', (ctx) => {
    const d = getDs(state(), pathId(ctx, 'dsId'));
    const used = Object.values(state().actions).some((a) => a.dsId === d.id)
      || Object.values(state().rollouts).some((r) => r.dsId === d.id)
      || Object.values(state().targets).some((t) => t.assignedDs === d.id || t.installedDs === d.id);
    hb.store.update((s) => {
      if (used) { d.deleted = true; touch(d, hb.now(), callerOf(ctx.req)); } else delete s.sets[String(d.id)];
    });
    noContent(ctx);
  });

  router.get('/rest/v1/distributionsets/:dsId/assignedSM', (ctx) => {
    const d = getDs(state(), pathId(ctx, 'dsId'));
    const mods = d.modules.map((id) => lookup(state().modules, id)).filter((m) => m !== undefined);
    ctx.send(200, paged(ctx, mods, moduleFields(state()), 'id:ASC', (m) => moduleView(hb, m)));
  });

  router.post('/rest/v1/distributionsets/:dsId/assignedSM', async (ctx) => {
    const d = getDs(state(), pathId(ctx, 'dsId'));
    const ids = moduleIds(await readArray(ctx));
    if (d.locked) throw locked(`DistributionSet ${d.id} is locked`);
    const merged = [...d.modules, ...ids.filter((id) => !d.modules.includes(id))];
    checkModules(state(), d.typeId, merged);
    hb.store.update(() => { d.modules = merged; touch(d, hb.now(), callerOf(ctx.req)); });
    noContent(ctx);
  });

  router.delete('/rest/v1/distributionsets/:dsId/assignedSM/:smId', (ctx) => {
    const d = getDs(state(), pathId(ctx, 'dsId'));
    const smId = pathId(ctx, 'smId');
    if (!d.modules.includes(smId)) throw notFound('SoftwareModule', smId);
    if (d.locked) throw locked(`DistributionSet ${d.id} is locked`);
    hb.store.update(() => { d.modules = d.modules.filter((m) => m !== smId); touch(d, hb.now(), callerOf(ctx.req)); });
    noContent(ctx);
  });

  for (const [path, pick] of [['assignedTargets', 'assignedDs'], ['installedTargets', 'installedDs']] as const) {
    router.get(`/rest/v1/distributionsets/:dsId/${path}`, (ctx) => {
      const d = getDs(state(), pathId(ctx, 'dsId'));
      ctx.send(200, pagedTargets(ctx, hb, (t) => targetView(hb, t, false), (t) => t[pick] === d.id));
    });
  }

  router.post('/rest/v1/distributionsets/:dsId/assignedTargets', async (ctx) => {
    const d = getDs(state(), pathId(ctx, 'dsId'));
    const items = await readArray(ctx);
    const requests = items.map((item) => {
      if (!isObject(item)) throw notReadable();
      return { target: getTarget(state(), str(item, 'id', true)!), ...assignParams(item) };
    });
    assertAssignable(state(), d);
    const result = hb.store.update((s) => {
      const created = [];
      for (const r of requests) {
        const a = assign(s, r.target, d, r, callerOf(ctx.req), hb.now());
        if (a) created.push(a);
      }
      lockDs(s, d);
      return { assigned: created.length, alreadyAssigned: requests.length - created.length, total: requests.length, assignedActions: created.map((a) => actionLink(hb, a)) };
    });
    ctx.send(200, result);
  });

  router.post('/rest/v1/distributionsets/:dsId/invalidate', async (ctx) => {
    const d = getDs(state(), pathId(ctx, 'dsId'));
    const body = await readObject(ctx);
    const mode = (str(body, 'actionCancelationType', true) ?? '').toLowerCase();
    if (!['soft', 'force', 'none'].includes(mode)) throw notReadable();
    const cancelRollouts = bool(body, 'cancelRollouts') ?? false;
    const user = callerOf(ctx.req);
    hb.store.update((s) => {
      const now = hb.now();
      d.valid = false;
      touch(d, now, user);
      if (mode !== 'none') {
        for (const a of Object.values(s.actions)) {
          if (a.dsId !== d.id || !a.active) continue;
          if (a.status !== 'canceling') softCancel(s, a, now, user);
          if (mode === 'force') finishCancellation(s, a, now, user, 'Update Server: A force quit has been performed.');
        }
      }
      if (cancelRollouts || mode !== 'none') {
        for (const r of Object.values(s.rollouts)) {
          if (r.dsId === d.id && ['creating', 'ready', 'waiting_for_approval', 'starting', 'running', 'paused'].includes(r.status)) {
            r.status = 'stopping';
            touch(r, now, user);
          }
        }
      }
    });
    hb.runScheduler();
    noContent(ctx);
  });
}

function moduleIds(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw notReadable();
  return value.map((v) => {
    if (!isObject(v)) throw notReadable();
    return num(v, 'id', true)!;
  });
}
