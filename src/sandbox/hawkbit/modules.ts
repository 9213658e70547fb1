// Management API: software modules (create as an array, get, update description/vendor/locked,
// delete). The name+version+type triple is unique (409). A module still referenced by a
// distribution set is soft-deleted (`deleted: true`), otherwise removed with its artifacts.
import type { Router } from '../kit/router.js';
import { callerOf, type Hb } from './context.js';
import { alreadyExists, notFound, notReadable } from './errors.js';
import { moduleFields } from './fields.js';
import { bool, isObject, noContent, pathId, readArray, readObject, str } from './http.js';
import { paged } from './paging.js';
import { audit, lookup, nextId, setEntry, touch, type HbState, type ModuleRec } from './state.js';
import { moduleView } from './views.js';

export function getModule(state: HbState, id: number): ModuleRec {
  const m = lookup(state.modules, id);
  if (!m || m.deleted) throw notFound('SoftwareModule', id);
  return m;
}

export function registerModules(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;

  router.get('/rest/v1/softwaremodules', (ctx) => {
    const live = Object.values(state().modules).filter((m) => !m.deleted);
    ctx.send(200, paged(ctx, live, moduleFields(state()), 'id:ASC', (m) => moduleView(hb, m)));
  });

  router.post('/rest/v1/softwaremodules', async (ctx) => {
    const items = await readArray(ctx);
    const now = hb.now();
    const user = callerOf(ctx.req);
    const drafts = items.map((item) => {
      if (!isObject(item)) throw notReadable();
      const name = str(item, 'name', true)!;
      const version = str(item, 'version', true)!;
      const typeKey = str(item, 'type', true)!;
      if (name === '' || version === '') throw notReadable();
      const type = Object.values(state().smTypes).find((t) => t.key === typeKey && !t.deleted);
      if (!type) throw notFound('SoftwareModuleType', typeKey);
      const description = str(item, 'description');
      const vendor = str(item, 'vendor');
      return {
        name, version, typeId: type.id, encrypted: bool(item, 'encrypted') ?? false,
        ...(description === undefined ? {} : { description }), ...(vendor === undefined ? {} : { vendor }),
      };
    });
    const seen = new Set(Object.values(state().modules).filter((m) => !m.deleted).map((m) => `${m.typeId}\u0000${m.name}\u0000${m.version}`));
    for (const d of drafts) {
      const key = `${d.typeId}\u0000${d.name}\u0000${d.version}`;
      if (seen.has(key)) throw alreadyExists();
      seen.add(key);
    }
    const created = hb.store.update((s) => drafts.map((d) => {
      const rec: ModuleRec = { id: nextId(s, 'module'), ...d, locked: false, deleted: false, artifacts: [], ...audit(now, user) };
      setEntry(s.modules, rec.id, rec);
      return rec;
    }));
    ctx.send(201, created.map((m) => moduleView(hb, m)));
  });

  router.get('/rest/v1/softwaremodules/:smId', (ctx) => ctx.send(200, moduleView(hb, getModule(state(), pathId(ctx, 'smId')))));

  router.put('/rest/v1/softwaremodules/:smId', async (ctx) => {
    const m = getModule(state(), pathId(ctx, 'smId'));
    const body = await readObject(ctx);
    const description = str(body, 'description');
    const vendor = str(body, 'vendor');
    const lock = bool(body, 'locked');
    hb.store.update(() => {
      if (description !== undefined) m.description = description;
      if (vendor !== undefined) m.vendor = vendor;
      if (lock !== undefined) m.locked = lock;
      touch(m, hb.now(), callerOf(ctx.req));
    });
    ctx.send(200, moduleView(hb, m));
  });

  router.delete('/rest/v1/softwaremodules/:smId', (ctx) => {
    const m = getModule(state(), pathId(ctx, 'smId'));
    const referenced = Object.values(state().sets).some((d) => d.modules.includes(m.id));
    const orphaned: string[] = [];
    hb.store.update((s) => {
      if (referenced) {
        m.deleted = true;
        touch(m, hb.now(), callerOf(ctx.req));
        return;
      }
      for (const aid of m.artifacts) {
        const a = lookup(s.artifacts, aid);
        delete s.artifacts[String(aid)];
        if (a && !Object.values(s.artifacts).some((o) => o.sha1 === a.sha1)) orphaned.push(a.sha1);
      }
      delete s.modules[String(m.id)];
    });
    orphaned.forEach((sha1) => hb.blobs.delete(sha1));
    noContent(ctx);
  });
}
