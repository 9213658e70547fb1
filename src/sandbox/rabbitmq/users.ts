// /api/users: list, GET/PUT/DELETE one user. PUT takes `password` (hashed here) or
// `password_hash` (stored as sent; `""` means no password login, as CDM's mqtt-bridge users).
import type { RequestContext, Router } from '../kit/router.js';
import type { Api } from './api.js';
import { readObject, userTags } from './body.js';
import { HASHING_ALGORITHM, hashPassword, isBase64, unguessableHash } from './passwords.js';
import { badRequest, crashed, empty, json, notFound } from './replies.js';
import { byName, lookup, setEntry, type UserRecord } from './state.js';

export function userView(name: string, u: UserRecord): Record<string, unknown> {
  return { name, password_hash: u.password_hash, hashing_algorithm: HASHING_ALGORITHM, tags: u.tags, limits: {} };
}

export function registerUsers(router: Router, api: Api): void {
  const { store } = api;

  router.get('/api/users', api.route('administrator', (ctx) => {
    const users = store.state.users;
    json(ctx, 200, Object.keys(users).sort(byName).map((name) => userView(name, users[name]!)));
  }));

  router.get('/api/users/:user', api.route('administrator', (ctx) => {
    const u = lookup(store.state.users, ctx.params.user!);
    if (!u) return notFound(ctx);
    json(ctx, 200, userView(ctx.params.user!, u));
  }));

  router.put('/api/users/:user', api.route('administrator', async (ctx) => {
    const body = await readObject(ctx);
    if (!body) return;
    const hash = passwordHashFrom(ctx, body);
    if (hash === undefined) return;
    const tags = userTags(body.tags);
    if (!tags) return crashed(ctx);
    const name = ctx.params.user!;
    const created = store.update((s) => {
      const isNew = !lookup(s.users, name);
      setEntry(s.users, name, { password_hash: hash, tags });
      return isNew;
    });
    empty(ctx, created ? 201 : 204);
  }));

  router.delete('/api/users/:user', api.route('administrator', (ctx) => {
    const name = ctx.params.user!;
    if (!lookup(store.state.users, name)) return notFound(ctx);
    store.update((s) => {
      delete s.users[name];
      s.permissions = s.permissions.filter((p) => p.user !== name);
    });
    empty(ctx, 204);
  }));
}

/** Validates in the real server's order (tags, then password fields); answers and returns `undefined` on refusal. */
function passwordHashFrom(ctx: RequestContext, body: Record<string, unknown>): string | undefined {
  if (!('tags' in body)) {
    badRequest(ctx, 'tags_not_present');
    return undefined;
  }
  const { password, password_hash: hash } = body;
  if (password !== undefined && hash !== undefined) {
    badRequest(ctx, 'both_password_and_password_hash_are_provided');
    return undefined;
  }
  if (hash !== undefined) {
    if (typeof hash !== 'string') return crash(ctx);
    if (!isBase64(hash)) {
      badRequest(ctx, ['not_base64', hash]);
      return undefined;
    }
    return hash;
  }
  if (password !== undefined) {
    if (typeof password !== 'string') return crash(ctx);
    return hashPassword(password);
  }
  // Neither given: the real server stores a hash of a password nobody knows (and so does an update).
  return unguessableHash();
}

function crash(ctx: RequestContext): undefined {
  crashed(ctx);
  return undefined;
}
