// Management API: target tags (what FIQL `tag==…` matches) and their assignment to targets
// (1.x: POST/DELETE with a JSON array of controllerIds; ≤0.5 took [{controllerId}], 0.6–0.9 PUT).
import type { Router } from '../kit/router.js';
import { callerOf, type Hb } from './context.js';
import { alreadyExists, notFound, notReadable } from './errors.js';
import { tagFields } from './fields.js';
import { isObject, noContent, pathId, readArray, readObject, str } from './http.js';
import { paged } from './paging.js';
import { getTarget } from './targets.js';
import { pagedTargets } from './target-paging.js';
import { audit, lookup, nextId, setEntry, touch, type HbState, type TagRec } from './state.js';
import { tagView, targetView } from './views.js';

function getTag(state: HbState, id: number): TagRec {
  const t = lookup(state.tags, id);
  if (!t) throw notFound('TargetTag', id);
  return t;
}

export function registerTags(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;

  router.get('/rest/v1/targettags', (ctx) => {
    ctx.send(200, paged(ctx, Object.values(state().tags), tagFields(), 'id:ASC', (t) => tagView(hb, t)));
  });

  router.post('/rest/v1/targettags', async (ctx) => {
    const items = await readArray(ctx);
    const drafts = items.map((item) => {
      if (!isObject(item)) throw notReadable();
      const name = str(item, 'name', true)!;
      if (name === '') throw notReadable();
      return { name, description: str(item, 'description'), colour: str(item, 'colour') };
    });
    const names = new Set(Object.values(state().tags).map((t) => t.name));
    for (const d of drafts) {
      if (names.has(d.name)) throw alreadyExists();
      names.add(d.name);
    }
    const created = hb.store.update((s) => drafts.map((d) => {
      const rec: TagRec = {
        id: nextId(s, 'tag'), name: d.name, ...(d.description === undefined ? {} : { description: d.description }),
        ...(d.colour === undefined ? {} : { colour: d.colour }), ...audit(hb.now(), callerOf(ctx.req)),
      };
      setEntry(s.tags, rec.id, rec);
      return rec;
    }));
    ctx.send(201, created.map((t) => tagView(hb, t)));
  });

  router.get('/rest/v1/targettags/:tagId', (ctx) => ctx.send(200, tagView(hb, getTag(state(), pathId(ctx, 'tagId')))));

  router.put('/rest/v1/targettags/:tagId', async (ctx) => {
    const tag = getTag(state(), pathId(ctx, 'tagId'));
    const body = await readObject(ctx);
    const name = str(body, 'name');
    if (name !== undefined && Object.values(state().tags).some((t) => t.name === name && t.id !== tag.id)) throw alreadyExists();
    hb.store.update(() => {
      if (name !== undefined) tag.name = name;
      const description = str(body, 'description');
      if (description !== undefined) tag.description = description;
      const colour = str(body, 'colour');
      if (colour !== undefined) tag.colour = colour;
      touch(tag, hb.now(), callerOf(ctx.req));
    });
    ctx.send(200, tagView(hb, tag));
  });

  router.delete('/rest/v1/targettags/:tagId', (ctx) => {
    const tag = getTag(state(), pathId(ctx, 'tagId'));
    hb.store.update((s) => {
      delete s.tags[String(tag.id)];
      for (const t of Object.values(s.targets)) t.tags = t.tags.filter((id) => id !== tag.id);
    });
    noContent(ctx);
  });

  router.get('/rest/v1/targettags/:tagId/assigned', (ctx) => {
    const tag = getTag(state(), pathId(ctx, 'tagId'));
    ctx.send(200, pagedTargets(ctx, hb, (t) => targetView(hb, t, false), (t) => t.tags.includes(tag.id)));
  });

  const change = (add: boolean) => async (ctx: Parameters<Parameters<Router['post']>[1]>[0]) => {
    const tag = getTag(state(), pathId(ctx, 'tagId'));
    const ids = ctx.params.controllerId !== undefined ? [ctx.params.controllerId] : await controllerIds(ctx);
    const targets = ids.map((id) => getTarget(state(), id)); // onNotFoundPolicy=FAIL (the default)
    hb.store.update(() => {
      for (const t of targets) t.tags = add ? [...new Set([...t.tags, tag.id])] : t.tags.filter((x) => x !== tag.id);
    });
    noContent(ctx);
  };
  router.post('/rest/v1/targettags/:tagId/assigned', change(true));
  router.delete('/rest/v1/targettags/:tagId/assigned', change(false));
  router.post('/rest/v1/targettags/:tagId/assigned/:controllerId', change(true));
  router.delete('/rest/v1/targettags/:tagId/assigned/:controllerId', change(false));
}

async function controllerIds(ctx: Parameters<Parameters<Router['post']>[1]>[0]): Promise<string[]> {
  const items = await readArray(ctx);
  return items.map((v) => {
    if (typeof v !== 'string') throw notReadable();
    return v;
  });
}
