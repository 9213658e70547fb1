// Who may call the admin API on which realm. Like AdminRoot: the bearer token is verified in the realm
// its issuer names (signature, expiry, issuer URL, not-before, live session) → else 401; then a token
// from a realm other than master or the target realm → 403; then per-operation roles of the realm's
// management client (`<realm>-realm` in master, `realm-management` in the realm itself) → else 403.
import type { RequestContext } from '../kit/router.js';
import { clientIp, type Kc } from './context.js';
import { badJson, forbidden, KcError, notFound, unauthorized } from './errors.js';
import type { AdminActor } from './events.js';
import { clientByClientId, effectiveRoles } from './model.js';
import { MASTER } from './realm-factory.js';
import type { ClientRec, RealmRec, RoleRec, UserRec } from './state.js';
import { verifyToken } from './tokens.js';

export interface AdminAuth {
  realm: RealmRec;
  user: UserRec;
  client: ClientRec;
  roles: RoleRec[];
  actor: AdminActor;
}

export async function authenticateAdmin(kc: Kc, ctx: RequestContext): Promise<AdminAuth> {
  const header = ctx.header('authorization');
  if (!header || !/^bearer /i.test(header)) throw unauthorized();
  const v = await verifyToken(kc, header.slice(7).trim(), 'Bearer');
  if (!v) throw unauthorized();
  const client = clientByClientId(v.realm, String(v.claims['azp'] ?? ''));
  if (!client) throw notFound('Could not find client for authorization');
  return {
    realm: v.realm, user: v.user, client,
    // Rights come from the user's current role mappings, not from the (possibly older) token claims.
    roles: effectiveRoles(v.realm, v.user.roleIds),
    actor: { realmId: v.realm.id, clientId: client.id, userId: v.user.id, ipAddress: clientIp(ctx) },
  };
}

/** `/admin/realms/{name}`: 404 for an unknown realm, 403 when the caller's realm can't administer it. */
export function targetRealm(kc: Kc, auth: AdminAuth, name: string | undefined): RealmRec {
  const realm = name === undefined ? undefined : kc.store.state.realms[name];
  if (!realm) throw notFound('Realm not found.');
  if (auth.realm.name !== MASTER && auth.realm.id !== realm.id) throw forbidden();
  return realm;
}

function managementClient(auth: AdminAuth, target: RealmRec): ClientRec | undefined {
  return auth.realm.name === MASTER ? clientByClientId(auth.realm, `${target.name}-realm`) : clientByClientId(target, 'realm-management');
}

export function hasAnyRole(auth: AdminAuth, target: RealmRec, names: readonly string[]): boolean {
  const mgmt = managementClient(auth, target);
  return !!mgmt && auth.roles.some((r) => r.clientRole && r.containerId === mgmt.id && names.includes(r.name));
}

/** Any management role at all on the target realm (enough to list roles or see the realm's name). */
export function isRealmAdmin(auth: AdminAuth, target: RealmRec): boolean {
  const mgmt = managementClient(auth, target);
  return !!mgmt && auth.roles.some((r) => r.clientRole && r.containerId === mgmt.id);
}

/** Permission names map to Keycloak's checks: "view" passes with view-X or manage-X. */
export const PERMS = {
  viewRealm: ['view-realm', 'manage-realm'],
  manageRealm: ['manage-realm'],
  queryUsers: ['query-users', 'view-users', 'manage-users'],
  viewUsers: ['view-users', 'manage-users'],
  manageUsers: ['manage-users'],
  queryClients: ['query-clients', 'view-clients', 'manage-clients'],
  viewClients: ['view-clients', 'manage-clients'],
  manageClients: ['manage-clients'],
  createClient: ['create-client', 'manage-clients'],
  viewEvents: ['view-events', 'manage-events'],
  manageEvents: ['manage-events'],
  viewIdps: ['view-identity-providers', 'manage-identity-providers'],
  manageIdps: ['manage-identity-providers'],
} as const;

export function requirePerm(auth: AdminAuth, target: RealmRec, perm: readonly string[]): void {
  if (!hasAnyRole(auth, target, perm)) throw forbidden();
}

export function requireAnyAdmin(auth: AdminAuth, target: RealmRec): void {
  if (!isRealmAdmin(auth, target)) throw forbidden();
}

/** JSON body of an admin call; Keycloak refuses other media types (415) and unparseable JSON (400). */
export async function readJson<T = Record<string, unknown>>(ctx: RequestContext): Promise<T> {
  const type = (ctx.header('content-type') ?? '').toLowerCase();
  if (!type.includes('application/json')) throw new KcError(415, { error: 'HTTP 415 Unsupported Media Type' });
  try {
    return JSON.parse(await ctx.text()) as T;
  } catch {
    throw badJson();
  }
}

export async function readJsonObject(ctx: RequestContext): Promise<Record<string, unknown>> {
  const v = await readJson<unknown>(ctx);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badJson();
  return v as Record<string, unknown>;
}

/** `first`/`max` paging; `max` absent → `defaultMax` (undefined = all). */
export function paginate<T>(items: T[], q: URLSearchParams, defaultMax?: number): T[] {
  const first = Math.max(0, Number(q.get('first') ?? 0) || 0);
  const raw = q.get('max');
  const max = raw === null ? defaultMax : Number(raw);
  return max === undefined || Number.isNaN(max) || max < 0 ? items.slice(first) : items.slice(first, first + max);
}

export const adminUrl = (kc: Kc, realmName: string, ...segments: string[]): string =>
  [`${kc.base}/admin/realms/${encodeURIComponent(realmName)}`, ...segments.map(encodeURIComponent)].join('/');
