// /admin/realms/{r}/users: search/count/paging, create (201 + Location, 409 texts, user-profile style
// validation errors), get, update, delete, reset-password and credentials.
import type { RequestContext, Router } from '../kit/router.js';
import { adminUrl, paginate, PERMS, readJson, readJsonObject, requirePerm } from './admin-auth.js';
import { inRealm } from './admin-route.js';
import type { Kc } from './context.js';
import { conflict, errorMessage, jaxrs, KcError, notFound } from './errors.js';
import { recordAdminEvent } from './events.js';
import { addUser, removeUser, userById, type UserInput } from './model.js';
import { hashPassword } from './passwords.js';
import { userRep, SECRET_MASK } from './representations.js';
import type { RealmRec, UserRec } from './state.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function findUser(realm: RealmRec, id: string | undefined): UserRec {
  const user = id === undefined ? undefined : userById(realm, id);
  if (!user) throw notFound('User not found');
  return user;
}

function attributesOf(v: unknown): Record<string, string[]> | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? x.map(String) : [String(x)]]));
}

/** User-profile validation: one error is returned flat, several as `{"errors":[…]}`. */
function validateProfile(rep: Record<string, unknown>): void {
  const errors: Array<Record<string, unknown>> = [];
  const email = str(rep['email']);
  if (email && !EMAIL.test(email)) errors.push({ field: 'email', errorMessage: 'invalidEmailMessage', params: ['email', email] });
  for (const f of ['firstName', 'lastName']) {
    const v = str(rep[f]);
    if (v && v.length > 255) errors.push({ field: f, errorMessage: 'error-invalid-length', params: [f, 0, 255] });
  }
  if (errors.length === 1) throw new KcError(400, errors[0]);
  if (errors.length > 1) throw new KcError(400, { errors });
}

/** Password credentials of a representation: hashed at once; `temporary` adds UPDATE_PASSWORD. */
function passwordOf(rep: Record<string, unknown>): { hash: string; temporary: boolean } | undefined {
  const creds = Array.isArray(rep['credentials']) ? (rep['credentials'] as Array<Record<string, unknown>>) : [];
  const pw = creds.find((c) => (c['type'] ?? 'password') === 'password' && typeof c['value'] === 'string');
  return pw ? { hash: hashPassword(String(pw['value'])), temporary: pw['temporary'] === true } : undefined;
}

/** Representation for admin events: credential values never leave the server. */
function stripSecrets(rep: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(rep['credentials'])) return rep;
  return { ...rep, credentials: (rep['credentials'] as Array<Record<string, unknown>>).map((c) => ({ ...c, value: SECRET_MASK })) };
}

/** Creates a user from a UserRepresentation (admin create and realm import). Throws the 400/409 answers. */
export function createUserFromRep(realm: RealmRec, rep: Record<string, unknown>, nowMs: number): UserRec {
  const username = str(rep['username'])?.trim().toLowerCase();
  if (!username) throw errorMessage(400, 'User name is missing');
  validateProfile(rep);
  const email = str(rep['email'])?.toLowerCase();
  if (realm.users.some((u) => u.username === username)) throw conflict('User exists with same username');
  if (email && !realm.settings.duplicateEmailsAllowed && realm.users.some((u) => u.email === email)) throw conflict('User exists with same email');
  const password = passwordOf(rep);
  const input: UserInput = { username };
  if (email) input.email = email;
  if (str(rep['id'])) input.id = str(rep['id']);
  for (const f of ['firstName', 'lastName'] as const) { const v = str(rep[f]); if (v !== undefined) input[f] = v; }
  // UserEntity.enabled defaults to false and only a given `enabled` sets it: a user created (or
  // imported) without it cannot log in until enabled.
  input.enabled = rep['enabled'] === true;
  if (typeof rep['emailVerified'] === 'boolean') input.emailVerified = rep['emailVerified'];
  const attributes = attributesOf(rep['attributes']);
  if (attributes) input.attributes = attributes;
  const actions = Array.isArray(rep['requiredActions']) ? rep['requiredActions'].map(String) : [];
  if (password?.temporary && !actions.includes('UPDATE_PASSWORD')) actions.push('UPDATE_PASSWORD');
  input.requiredActions = actions;
  if (password) input.passwordHash = password.hash;
  return addUser(realm, input, nowMs);
}

/** `search`: prefix by default, `*foo*` infix (any `*` is a wildcard), `"foo"` exact. */
function searchMatcher(search: string): (u: UserRec) => boolean {
  const s = search.trim().toLowerCase();
  if (s === '' || s === '*') return () => true;
  let test: (v: string) => boolean;
  if (s.length > 1 && s.startsWith('"') && s.endsWith('"')) { const x = s.slice(1, -1); test = (v) => v === x; }
  else if (s.includes('*')) {
    const re = new RegExp(`^${s.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    test = (v) => re.test(v);
  } else test = (v) => v.startsWith(s);
  return (u) => [u.username, u.email, u.firstName, u.lastName].some((v) => v !== undefined && test(v.toLowerCase()));
}

function filterUsers(realm: RealmRec, q: URLSearchParams): UserRec[] {
  const exact = q.get('exact') === 'true';
  const field = (name: 'username' | 'email' | 'firstName' | 'lastName'): ((u: UserRec) => boolean) => {
    const want = q.get(name)?.toLowerCase();
    if (!want) return () => true;
    return (u) => { const v = u[name]?.toLowerCase(); return v !== undefined && (exact ? v === want : v.includes(want)); };
  };
  const tests = [field('username'), field('email'), field('firstName'), field('lastName')];
  const search = q.get('search');
  if (search !== null) tests.push(searchMatcher(search));
  for (const flag of ['enabled', 'emailVerified'] as const) {
    const v = q.get(flag);
    if (v !== null) tests.push((u) => u[flag] === (v === 'true'));
  }
  const attrQuery = q.get('q');
  if (attrQuery) {
    const pairs = attrQuery.split(' ').filter(Boolean).map((p) => { const i = p.indexOf(':'); return [p.slice(0, i), p.slice(i + 1)] as const; });
    tests.push((u) => pairs.every(([k, v]) => (u.attributes[k] ?? []).includes(v)));
  }
  // No identity-provider links exist in the emulator, so an idpAlias/idpUserId filter matches nobody.
  if (q.get('idpAlias') || q.get('idpUserId')) tests.push(() => false);
  return realm.users
    .filter((u) => !u.serviceAccountClientId && tests.every((t) => t(u)))
    .sort((a, b) => a.username.localeCompare(b.username));
}

export function registerUserRoutes(router: Router, kc: Kc): void {
  const base = '/admin/realms/:realm/users';

  router.get(`${base}/count`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.queryUsers);
    ctx.send(200, filterUsers(realm, ctx.query).length);
  }));

  router.get(base, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.queryUsers);
    const brief = ctx.query.get('briefRepresentation') === 'true';
    ctx.send(200, paginate(filterUsers(realm, ctx.query), ctx.query, 100).map((u) => userRep(u, brief)));
  }));

  router.post(base, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageUsers);
    const rep = await readJsonObject(ctx);
    const user = kc.store.update(() => {
      const u = createUserFromRep(realm, rep, kc.now());
      recordAdminEvent(realm, kc.now(), auth.actor, 'CREATE', 'USER', `users/${u.id}`, stripSecrets(rep));
      return u;
    });
    ctx.send(201, undefined, { location: adminUrl(kc, realm.name, 'users', user.id) });
  }));

  router.get(`${base}/:id`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewUsers);
    ctx.send(200, userRep(findUser(realm, ctx.params['id'])));
  }));

  router.put(`${base}/:id`, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageUsers);
    await updateUser(kc, ctx, auth.actor, realm);
  }));

  router.delete(`${base}/:id`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageUsers);
    const user = findUser(realm, ctx.params['id']);
    kc.store.update(() => {
      removeUser(realm, user);
      recordAdminEvent(realm, kc.now(), auth.actor, 'DELETE', 'USER', `users/${user.id}`);
    });
    ctx.send(204);
  }));

  router.put(`${base}/:id/reset-password`, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageUsers);
    const user = findUser(realm, ctx.params['id']);
    const rep = await readJson<Record<string, unknown> | null>(ctx);
    const value = rep?.['value'];
    if (typeof value !== 'string') throw jaxrs(400, 'No password provided');
    if (value === '') throw jaxrs(400, 'Empty password not allowed');
    const temporary = rep?.['temporary'] === true;
    const hash = hashPassword(value);
    kc.store.update(() => {
      user.passwordHash = hash;
      user.passwordCreated = kc.now();
      user.requiredActions = user.requiredActions.filter((a) => a !== 'UPDATE_PASSWORD');
      if (temporary) user.requiredActions.push('UPDATE_PASSWORD');
      recordAdminEvent(realm, kc.now(), auth.actor, 'ACTION', 'USER', `users/${user.id}/reset-password`, { type: 'password', temporary });
    });
    ctx.send(204);
  }));

  router.get(`${base}/:id/credentials`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewUsers);
    const user = findUser(realm, ctx.params['id']);
    ctx.send(200, user.passwordHash ? [{
      id: `${user.id}-password`, type: 'password', createdDate: user.passwordCreated ?? user.createdTimestamp,
      credentialData: JSON.stringify({ algorithm: 'scrypt', additionalParameters: {} }),
    }] : []);
  }));
}

async function updateUser(kc: Kc, ctx: RequestContext, actor: Parameters<typeof recordAdminEvent>[2], realm: RealmRec): Promise<void> {
  const user = findUser(realm, ctx.params['id']);
  const rep = await readJsonObject(ctx);
  validateProfile(rep);
  const username = str(rep['username'])?.trim().toLowerCase();
  const email = str(rep['email'])?.toLowerCase();
  const clash = realm.users.some((u) => u.id !== user.id &&
    ((username && u.username === username) || (email && !realm.settings.duplicateEmailsAllowed && u.email === email)));
  if (clash) throw conflict('User exists with same username or email');
  kc.store.update(() => {
    if (username) user.username = username;
    if (rep['email'] !== undefined) { if (email) user.email = email; else delete user.email; }
    for (const f of ['firstName', 'lastName'] as const) {
      if (rep[f] !== undefined) { const v = str(rep[f]); if (v) user[f] = v; else delete user[f]; }
    }
    if (typeof rep['enabled'] === 'boolean') user.enabled = rep['enabled'];
    if (typeof rep['emailVerified'] === 'boolean') user.emailVerified = rep['emailVerified'];
    const attributes = attributesOf(rep['attributes']);
    if (attributes) user.attributes = attributes;
    if (Array.isArray(rep['requiredActions'])) user.requiredActions = rep['requiredActions'].map(String);
    recordAdminEvent(realm, kc.now(), actor, 'UPDATE', 'USER', `users/${user.id}`, stripSecrets(rep));
  });
  ctx.send(204);
}
