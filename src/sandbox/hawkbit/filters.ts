// Management API: target filter queries (a named FIQL query over targets) and their auto
// assignment. The query is validated when stored (bad FIQL → the rsql 400s). Auto assignment
// runs with the scheduler pass, like hawkBit's AutoAssignScheduler.
import type { Router } from '../kit/router.js';
import { callerOf, type Hb } from './context.js';
import { assertAssignable, assign, FORCE_TYPES, lockDs } from './deployment.js';
import { getDs } from './distribution-sets.js';
import { alreadyExists, HbError, notFound, notReadable } from './errors.js';
import { filterFields, targetFields } from './fields.js';
import { compileFilter } from './fiql.js';
import { bool, noContent, num, pathId, readObject, str } from './http.js';
import { paged } from './paging.js';
import { audit, lookup, nextId, setEntry, touch, type FilterRec, type ForceType, type HbState } from './state.js';
import { dsView, filterView } from './views.js';

function getFilter(state: HbState, id: number): FilterRec {
  const f = lookup(state.filters, id);
  if (!f) throw notFound('TargetFilterQuery', id);
  return f;
}

export function registerFilters(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;
  const checkName = (name: string, except?: number): void => {
    if (Object.values(state().filters).some((f) => f.name === name && f.id !== except)) throw alreadyExists();
  };

  router.get('/rest/v1/targetfilters', (ctx) => {
    ctx.send(200, paged(ctx, Object.values(state().filters), filterFields(state()), 'id:ASC', (f) => filterView(hb, f)));
  });

  router.post('/rest/v1/targetfilters', async (ctx) => {
    const body = await readObject(ctx);
    const name = str(body, 'name', true)!;
    const query = str(body, 'query', true)!;
    if (name === '' || query === '') throw notReadable();
    compileFilter(query, targetFields(state()));
    checkName(name);
    const rec = hb.store.update((s) => {
      const f: FilterRec = { id: nextId(s, 'filter'), name, query, ...audit(hb.now(), callerOf(ctx.req)) };
      setEntry(s.filters, f.id, f);
      return f;
    });
    ctx.send(201, filterView(hb, rec));
  });

  router.get('/rest/v1/targetfilters/:id', (ctx) => ctx.send(200, filterView(hb, getFilter(state(), pathId(ctx, 'id')))));

  router.put('/rest/v1/targetfilters/:id', async (ctx) => {
    const f = getFilter(state(), pathId(ctx, 'id'));
    const body = await readObject(ctx);
    const name = str(body, 'name');
    const query = str(body, 'query');
    if (query !== undefined) compileFilter(query, targetFields(state()));
    if (name !== undefined) checkName(name, f.id);
    hb.store.update(() => {
      if (name !== undefined) f.name = name;
      if (query !== undefined) f.query = query;
      touch(f, hb.now(), callerOf(ctx.req));
    });
    ctx.send(200, filterView(hb, f));
  });

  router.delete('/rest/v1/targetfilters/:id', (ctx) => {
    const f = getFilter(state(), pathId(ctx, 'id'));
    hb.store.update((s) => { delete s.filters[String(f.id)]; });
    noContent(ctx);
  });

  router.get('/rest/v1/targetfilters/:id/autoAssignDS', (ctx) => {
    const f = getFilter(state(), pathId(ctx, 'id'));
    if (!f.autoAssign) return ctx.send(204);
    const ds = lookup(state().sets, f.autoAssign.dsId);
    if (!ds) return ctx.send(204);
    ctx.send(200, dsView(hb, ds));
  });

  router.post('/rest/v1/targetfilters/:id/autoAssignDS', async (ctx) => {
    const f = getFilter(state(), pathId(ctx, 'id'));
    const body = await readObject(ctx);
    const ds = getDs(state(), num(body, 'id', true)!);
    assertAssignable(state(), ds);
    const type = (str(body, 'type') ?? 'forced').toLowerCase();
    if (!(FORCE_TYPES as readonly string[]).includes(type)) throw notReadable();
    if (type === 'timeforced') {
      throw new HbError(400, 'org.eclipse.hawkbit.repository.exception.InvalidAutoAssignActionTypeException',
        'hawkbit.server.error.repo.invalidAutoAssignActionType', 'Auto assignment action type is invalid');
    }
    const weight = num(body, 'weight');
    const confirmationRequired = bool(body, 'confirmationRequired');
    hb.store.update((s) => {
      lockDs(s, ds);
      f.autoAssign = { dsId: ds.id, type: type as ForceType, ...(weight === undefined ? {} : { weight }), ...(confirmationRequired === undefined ? {} : { confirmationRequired }) };
      touch(f, hb.now(), callerOf(ctx.req));
    });
    ctx.send(200, filterView(hb, f));
  });

  router.delete('/rest/v1/targetfilters/:id/autoAssignDS', (ctx) => {
    const f = getFilter(state(), pathId(ctx, 'id'));
    hb.store.update(() => { delete f.autoAssign; touch(f, hb.now(), callerOf(ctx.req)); });
    noContent(ctx);
  });
}

/** One auto-assignment pass: matching targets that never had an action for the set get it. */
export function runAutoAssign(state: HbState, now: number): boolean {
  let changed = false;
  for (const f of Object.values(state.filters)) {
    if (!f.autoAssign) continue;
    const ds = lookup(state.sets, f.autoAssign.dsId);
    if (!ds || ds.deleted || !ds.valid) continue;
    const match = compileFilter(f.query, targetFields(state));
    const served = new Set(Object.values(state.actions).filter((a) => a.dsId === ds.id).map((a) => a.controllerId));
    for (const t of Object.values(state.targets)) {
      if (served.has(t.controllerId) || t.assignedDs === ds.id || !match(t)) continue;
      if (assign(state, t, ds, { type: f.autoAssign.type, ...(f.autoAssign.weight === undefined ? {} : { weight: f.autoAssign.weight }) }, 'system', now)) changed = true;
    }
  }
  return changed;
}
