// /api/vhosts: list (filtered by what the caller may see), GET/PUT/DELETE one vhost.
import type { Router } from '../kit/router.js';
import { NODE, type Api } from './api.js';
import { seesAllVhosts } from './auth.js';
import { readObject, vhostTags } from './body.js';
import { crashed, empty, json, notFound } from './replies.js';
import { byName, FULL_ACCESS, lookup, setEntry, type VhostRecord } from './state.js';

export function vhostView(name: string, v: VhostRecord): Record<string, unknown> {
  return {
    name,
    description: v.description,
    tags: v.tags,
    default_queue_type: 'undefined',
    metadata: { description: v.description, tags: v.tags },
    tracing: false,
    cluster_state: { [NODE]: 'running' },
  };
}

export function registerVhosts(router: Router, api: Api): void {
  const { store } = api;

  router.get('/api/vhosts', api.route('management', (ctx, caller) => {
    const s = store.state;
    const visible = Object.keys(s.vhosts)
      .filter((name) => seesAllVhosts(caller) || s.permissions.some((p) => p.vhost === name && p.user === caller.name))
      .sort(byName);
    json(ctx, 200, visible.map((name) => vhostView(name, s.vhosts[name]!)));
  }));

  router.get('/api/vhosts/:vhost', api.route('administrator', (ctx) => {
    const v = lookup(store.state.vhosts, ctx.params.vhost!);
    if (!v) return notFound(ctx);
    json(ctx, 200, vhostView(ctx.params.vhost!, v));
  }));

  router.put('/api/vhosts/:vhost', api.route('administrator', async (ctx, caller) => {
    const body = await readObject(ctx);
    if (!body) return;
    const tags = vhostTags(body.tags);
    if (!tags) return crashed(ctx);
    const name = ctx.params.vhost!;
    const created = store.update((s) => {
      const isNew = !lookup(s.vhosts, name);
      // A PUT replaces the whole record: a missing description becomes "" again.
      setEntry(s.vhosts, name, { description: body.description ?? '', tags });
      // The real server grants the creating user full access to a new vhost.
      if (isNew && !s.permissions.some((p) => p.vhost === name && p.user === caller.name)) {
        s.permissions.push({ user: caller.name, vhost: name, ...FULL_ACCESS });
      }
      return isNew;
    });
    empty(ctx, created ? 201 : 204);
  }));

  router.delete('/api/vhosts/:vhost', api.route('administrator', (ctx) => {
    const name = ctx.params.vhost!;
    if (!lookup(store.state.vhosts, name)) return notFound(ctx);
    store.update((s) => {
      delete s.vhosts[name];
      s.permissions = s.permissions.filter((p) => p.vhost !== name);
    });
    empty(ctx, 204);
  }));
}
