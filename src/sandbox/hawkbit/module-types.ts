// Management API: software module types and distribution set types (list, get, create as an
// array, update description/colour, delete) and a DS type's mandatory/optional module types.
// Duplicate key or name → 409. Deleting a type still in use only soft-deletes it, as hawkBit does.
import type { Router } from '../kit/router.js';
import { callerOf, type Hb } from './context.js';
import { alreadyExists, notFound, notReadable } from './errors.js';
import { typeFields } from './fields.js';
import { isObject, noContent, num, pathId, readArray, readObject, str } from './http.js';
import { paged } from './paging.js';
import { audit, lookup, nextId, setEntry, touch, type DsTypeRec, type HbState, type SmTypeRec } from './state.js';
import { dsTypeView, smTypeView } from './views.js';

export function getSmType(state: HbState, id: number): SmTypeRec {
  const t = lookup(state.smTypes, id);
  if (!t) throw notFound('SoftwareModuleType', id);
  return t;
}

export function getDsType(state: HbState, id: number): DsTypeRec {
  const t = lookup(state.dsTypes, id);
  if (!t) throw notFound('DistributionSetType', id);
  return t;
}

export function registerModuleTypes(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;
  const live = <T extends { deleted: boolean }>(items: Record<string, T>): T[] => Object.values(items).filter((t) => !t.deleted);

  router.get('/rest/v1/softwaremoduletypes', (ctx) => {
    ctx.send(200, paged(ctx, live(state().smTypes), typeFields<SmTypeRec>(), 'id:ASC', (t) => smTypeView(hb, t)));
  });

  router.post('/rest/v1/softwaremoduletypes', async (ctx) => {
    const items = await readArray(ctx);
    const now = hb.now();
    const user = callerOf(ctx.req);
    const drafts = items.map((item) => {
      if (!isObject(item)) throw notReadable();
      const key = str(item, 'key', true)!;
      const name = str(item, 'name', true)!;
      const maxAssignments = num(item, 'maxAssignments') ?? 1;
      if (key === '' || name === '' || maxAssignments < 1) throw notReadable();
      return { key, name, description: str(item, 'description'), colour: str(item, 'colour'), maxAssignments };
    });
    assertUnique(drafts, live(state().smTypes));
    const created = hb.store.update((s) => drafts.map((d) => {
      const rec: SmTypeRec = { id: nextId(s, 'smType'), ...strip(d), deleted: false, ...audit(now, user) } as SmTypeRec;
      setEntry(s.smTypes, rec.id, rec);
      return rec;
    }));
    ctx.send(201, created.map((t) => smTypeView(hb, t)));
  });

  router.get('/rest/v1/softwaremoduletypes/:id', (ctx) => ctx.send(200, smTypeView(hb, getSmType(state(), pathId(ctx, 'id')))));

  router.put('/rest/v1/softwaremoduletypes/:id', async (ctx) => {
    const t = getSmType(state(), pathId(ctx, 'id'));
    const body = await readObject(ctx);
    const description = str(body, 'description');
    const colour = str(body, 'colour');
    hb.store.update(() => {
      if (description !== undefined) t.description = description;
      if (colour !== undefined) t.colour = colour;
      touch(t, hb.now(), callerOf(ctx.req));
    });
    ctx.send(200, smTypeView(hb, t));
  });

  router.delete('/rest/v1/softwaremoduletypes/:id', (ctx) => {
    const t = getSmType(state(), pathId(ctx, 'id'));
    const used = Object.values(state().modules).some((m) => m.typeId === t.id)
      || Object.values(state().dsTypes).some((d) => d.mandatory.includes(t.id) || d.optional.includes(t.id));
    hb.store.update((s) => {
      if (used) t.deleted = true;
      else delete s.smTypes[String(t.id)];
    });
    noContent(ctx);
  });

  router.get('/rest/v1/distributionsettypes', (ctx) => {
    ctx.send(200, paged(ctx, live(state().dsTypes), typeFields<DsTypeRec>(), 'id:ASC', (t) => dsTypeView(hb, t)));
  });

  router.post('/rest/v1/distributionsettypes', async (ctx) => {
    const items = await readArray(ctx);
    const now = hb.now();
    const user = callerOf(ctx.req);
    const drafts = items.map((item) => {
      if (!isObject(item)) throw notReadable();
      const key = str(item, 'key', true)!;
      const name = str(item, 'name', true)!;
      if (key === '' || name === '') throw notReadable();
      return {
        key, name, description: str(item, 'description'), colour: str(item, 'colour'),
        mandatory: moduleTypeIds(state(), item.mandatorymodules), optional: moduleTypeIds(state(), item.optionalmodules),
      };
    });
    assertUnique(drafts, live(state().dsTypes));
    const created = hb.store.update((s) => drafts.map((d) => {
      const rec = { id: nextId(s, 'dsType'), ...strip(d), deleted: false, ...audit(now, user) } as DsTypeRec;
      setEntry(s.dsTypes, rec.id, rec);
      return rec;
    }));
    ctx.send(201, created.map((t) => dsTypeView(hb, t)));
  });

  router.get('/rest/v1/distributionsettypes/:id', (ctx) => ctx.send(200, dsTypeView(hb, getDsType(state(), pathId(ctx, 'id')))));

  router.put('/rest/v1/distributionsettypes/:id', async (ctx) => {
    const t = getDsType(state(), pathId(ctx, 'id'));
    const body = await readObject(ctx);
    const description = str(body, 'description');
    const colour = str(body, 'colour');
    hb.store.update(() => {
      if (description !== undefined) t.description = description;
      if (colour !== undefined) t.colour = colour;
      touch(t, hb.now(), callerOf(ctx.req));
    });
    ctx.send(200, dsTypeView(hb, t));
  });

  router.delete('/rest/v1/distributionsettypes/:id', (ctx) => {
    const t = getDsType(state(), pathId(ctx, 'id'));
    const used = Object.values(state().sets).some((d) => d.typeId === t.id);
    hb.store.update((s) => {
      if (used) t.deleted = true;
      else delete s.dsTypes[String(t.id)];
    });
    noContent(ctx);
  });

  for (const kind of ['mandatory', 'optional'] as const) {
    const base = `/rest/v1/distributionsettypes/:id/${kind}moduletypes`;
    router.get(base, (ctx) => {
      const t = getDsType(state(), pathId(ctx, 'id'));
      ctx.send(200, t[kind].map((id) => getSmType(state(), id)).map((m) => smTypeView(hb, m)));
    });
    router.post(base, async (ctx) => {
      const t = getDsType(state(), pathId(ctx, 'id'));
      const body = await readObject(ctx);
      const sm = getSmType(state(), num(body, 'id', true)!);
      hb.store.update(() => {
        if (!t[kind].includes(sm.id)) t[kind].push(sm.id);
        touch(t, hb.now(), callerOf(ctx.req));
      });
      ctx.send(200);
    });
    router.get(`${base}/:smTypeId`, (ctx) => {
      const t = getDsType(state(), pathId(ctx, 'id'));
      const smId = pathId(ctx, 'smTypeId');
      if (!t[kind].includes(smId)) throw notFound('SoftwareModuleType', smId);
      ctx.send(200, smTypeView(hb, getSmType(state(), smId)));
    });
    router.delete(`${base}/:smTypeId`, (ctx) => {
      const t = getDsType(state(), pathId(ctx, 'id'));
      const smId = pathId(ctx, 'smTypeId');
      if (!t[kind].includes(smId)) throw notFound('SoftwareModuleType', smId);
      hb.store.update(() => {
        t[kind] = t[kind].filter((x) => x !== smId);
        touch(t, hb.now(), callerOf(ctx.req));
      });
      noContent(ctx);
    });
  }
}

function moduleTypeIds(state: HbState, value: unknown): number[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw notReadable();
  return value.map((v) => {
    if (!isObject(v)) throw notReadable();
    return getSmType(state, num(v, 'id', true)!).id;
  });
}

function assertUnique(drafts: Array<{ key: string; name: string }>, existing: Array<{ key: string; name: string }>): void {
  const keys = new Set(existing.map((e) => e.key));
  const names = new Set(existing.map((e) => e.name));
  for (const d of drafts) {
    if (keys.has(d.key) || names.has(d.name)) throw alreadyExists();
    keys.add(d.key);
    names.add(d.name);
  }
}

/** Drops undefined optional fields so the stored record stays NON_EMPTY like the JSON. */
function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
