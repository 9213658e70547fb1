// /api/permissions (all, or one vhost+user pair) and the per-user / per-vhost listings.
import type { RequestContext, Router } from '../kit/router.js';
import type { Api } from './api.js';
import { readObject } from './body.js';
import { badRequest, crashed, empty, json, notFound } from './replies.js';
import { byName, findPermission, lookup, type PermissionRecord } from './state.js';

const KINDS = ['configure', 'write', 'read'] as const;

export function registerPermissions(router: Router, api: Api): void {
  const { store } = api;

  router.get('/api/permissions', api.route('administrator', (ctx) => {
    json(ctx, 200, [...store.state.permissions].sort((a, b) => byName(a.vhost, b.vhost) || byName(a.user, b.user)).map(view));
  }));

  router.get('/api/users/:user/permissions', api.route('administrator', (ctx) => {
    const user = ctx.params.user!;
    if (!lookup(store.state.users, user)) return notFound(ctx);
    json(ctx, 200, store.state.permissions.filter((p) => p.user === user).sort((a, b) => byName(a.vhost, b.vhost)).map(view));
  }));

  router.get('/api/vhosts/:vhost/permissions', api.route('administrator', (ctx) => {
    const vhost = ctx.params.vhost!;
    if (!lookup(store.state.vhosts, vhost)) return notFound(ctx);
    json(ctx, 200, store.state.permissions.filter((p) => p.vhost === vhost).sort((a, b) => byName(a.user, b.user)).map(view));
  }));

  router.get('/api/permissions/:vhost/:user', api.route('administrator', (ctx) => {
    const p = findPermission(store.state, ctx.params.vhost!, ctx.params.user!);
    if (!p) return notFound(ctx);
    json(ctx, 200, view(p));
  }));

  router.put('/api/permissions/:vhost/:user', api.route('administrator', async (ctx) => {
    const vhost = ctx.params.vhost!;
    const user = ctx.params.user!;
    // The real server checks that both exist before it even parses the body.
    if (!lookup(store.state.vhosts, vhost) || !lookup(store.state.users, user)) return badRequest(ctx, 'vhost_or_user_not_found');
    const body = await readObject(ctx);
    if (!body) return;
    const patterns = readPatterns(ctx, body);
    if (!patterns) return;
    const created = store.update((s) => {
      const existing = findPermission(s, vhost, user);
      if (existing) Object.assign(existing, patterns);
      else s.permissions.push({ user, vhost, ...patterns });
      return !existing;
    });
    empty(ctx, created ? 201 : 204);
  }));

  router.delete('/api/permissions/:vhost/:user', api.route('administrator', (ctx) => {
    const { vhost, user } = ctx.params;
    if (!findPermission(store.state, vhost!, user!)) return notFound(ctx);
    store.update((s) => {
      s.permissions = s.permissions.filter((p) => !(p.vhost === vhost && p.user === user));
    });
    empty(ctx, 204);
  }));
}

function view(p: PermissionRecord): PermissionRecord {
  return { user: p.user, vhost: p.vhost, configure: p.configure, write: p.write, read: p.read };
}

/** The three patterns, or `undefined` after answering as the real server does. */
function readPatterns(ctx: RequestContext, body: Record<string, unknown>): Pick<PermissionRecord, typeof KINDS[number]> | undefined {
  const missing = KINDS.filter((k) => !(k in body));
  if (missing.length > 0) {
    // The reason is the Erlang term the real server prints, e.g. "[{key_missing,read}]".
    badRequest(ctx, `[${missing.map((k) => `{key_missing,${k}}`).join(',')}]`);
    return undefined;
  }
  const out = { configure: '', write: '', read: '' };
  for (const k of KINDS) {
    const v = body[k];
    if (typeof v !== 'string') {
      crashed(ctx);
      return undefined;
    }
    const problem = regexpProblem(v);
    if (problem) {
      // Real: ["invalid_regexp", <pattern as code points>, [<PCRE message as code points>, <offset>]].
      // JavaScript's message and offset differ from PCRE's; the first two items match.
      badRequest(ctx, ['invalid_regexp', codePoints(v), [codePoints(problem), v.length]]);
      return undefined;
    }
    out[k] = v;
  }
  return out;
}

function regexpProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function codePoints(s: string): number[] {
  return [...s].map((c) => c.codePointAt(0)!);
}
