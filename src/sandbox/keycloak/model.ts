// Model operations shared by the OIDC and admin sides: creating clients (with their service-account
// user), users, roles, and resolving composite roles the way Keycloak's RoleUtils does.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ClientRec, RealmRec, RoleRec, UserRec } from './state.js';

/** AdminRoles.ALL_REALM_ROLES: the client roles that grant admin-API rights on one realm. */
export const MANAGEMENT_ROLES = [
  'create-client', 'view-realm', 'view-users', 'view-clients', 'view-events', 'view-identity-providers',
  'view-authorization', 'manage-realm', 'manage-users', 'manage-clients', 'manage-events',
  'manage-identity-providers', 'manage-authorization', 'query-users', 'query-clients', 'query-realms',
  'query-groups', 'impersonation',
] as const;

/** Keycloak generates 32-character alphanumeric client secrets. */
export function generateSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join('');
}

export function addRole(realm: RealmRec, name: string, containerId: string, clientRole: boolean, description?: string): RoleRec {
  const role: RoleRec = { id: randomUUID(), name, composites: [], containerId, clientRole, attributes: {} };
  if (description !== undefined) role.description = description;
  realm.roles.push(role);
  return role;
}

export const realmRole = (realm: RealmRec, name: string): RoleRec | undefined =>
  realm.roles.find((r) => !r.clientRole && r.name === name);
export const clientRole = (realm: RealmRec, clientUuid: string, name: string): RoleRec | undefined =>
  realm.roles.find((r) => r.clientRole && r.containerId === clientUuid && r.name === name);
export const clientById = (realm: RealmRec, id: string): ClientRec | undefined => realm.clients.find((c) => c.id === id);
export const clientByClientId = (realm: RealmRec, clientId: string): ClientRec | undefined =>
  realm.clients.find((c) => c.clientId === clientId);
export const userById = (realm: RealmRec, id: string): UserRec | undefined => realm.users.find((u) => u.id === id);

/** Usernames are stored lower-cased; login accepts the username or (loginWithEmailAllowed) the email. */
export function userByLogin(realm: RealmRec, login: string): UserRec | undefined {
  const l = login.toLowerCase();
  return realm.users.find((u) => !u.serviceAccountClientId && u.username === l)
    ?? (realm.settings.loginWithEmailAllowed ? realm.users.find((u) => !u.serviceAccountClientId && u.email?.toLowerCase() === l) : undefined);
}

/** All role ids reachable from the user's direct mappings through composites. */
export function effectiveRoles(realm: RealmRec, roleIds: string[]): RoleRec[] {
  const seen = new Set<string>();
  const stack = [...roleIds];
  const out: RoleRec[] = [];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const role = realm.roles.find((r) => r.id === id);
    if (!role) continue;
    out.push(role);
    stack.push(...role.composites);
  }
  return out;
}

export interface ClientInput {
  clientId: string;
  id?: string;
  publicClient?: boolean;
  secret?: string;
  enabled?: boolean;
  bearerOnly?: boolean;
  standardFlowEnabled?: boolean;
  implicitFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  attributes?: Record<string, string>;
  redirectUris?: string[];
  webOrigins?: string[];
  other?: Record<string, unknown>;
}

/** Creates a client; a confidential client without a secret gets a generated one, as Keycloak does. */
export function addClient(realm: RealmRec, input: ClientInput, nowMs: number): ClientRec {
  const publicClient = input.publicClient ?? false;
  const client: ClientRec = {
    id: input.id ?? randomUUID(),
    clientId: input.clientId,
    enabled: input.enabled ?? true,
    publicClient,
    bearerOnly: input.bearerOnly ?? false,
    standardFlowEnabled: input.standardFlowEnabled ?? true,
    implicitFlowEnabled: input.implicitFlowEnabled ?? false,
    directAccessGrantsEnabled: input.directAccessGrantsEnabled ?? false,
    serviceAccountsEnabled: input.serviceAccountsEnabled ?? false,
    attributes: { ...(input.attributes ?? {}) },
    redirectUris: input.redirectUris ?? [],
    webOrigins: input.webOrigins ?? [],
    other: input.other ?? {},
  };
  if (!publicClient) client.secret = input.secret ?? generateSecret();
  realm.clients.push(client);
  if (client.serviceAccountsEnabled) ensureServiceAccount(realm, client, nowMs);
  return client;
}

/** Service-account users are named `service-account-<clientId>` and carry the realm's default roles. */
export function ensureServiceAccount(realm: RealmRec, client: ClientRec, nowMs: number): UserRec {
  const existing = realm.users.find((u) => u.serviceAccountClientId === client.id);
  if (existing) return existing;
  return addUser(realm, { username: `service-account-${client.clientId}`, serviceAccountClientId: client.id }, nowMs);
}

export function removeClient(realm: RealmRec, client: ClientRec): void {
  realm.clients = realm.clients.filter((c) => c.id !== client.id);
  const roleIds = new Set(realm.roles.filter((r) => r.clientRole && r.containerId === client.id).map((r) => r.id));
  realm.roles = realm.roles.filter((r) => !roleIds.has(r.id));
  for (const r of realm.roles) r.composites = r.composites.filter((id) => !roleIds.has(id));
  realm.users = realm.users.filter((u) => u.serviceAccountClientId !== client.id);
  for (const u of realm.users) u.roleIds = u.roleIds.filter((id) => !roleIds.has(id));
  for (const s of realm.sessions) delete s.clients[client.id];
  realm.sessions = realm.sessions.filter((s) => Object.keys(s.clients).length > 0);
}

export interface UserInput {
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled?: boolean;
  emailVerified?: boolean;
  attributes?: Record<string, string[]>;
  requiredActions?: string[];
  passwordHash?: string;
  serviceAccountClientId?: string;
  id?: string;
}

/** New users get `default-roles-<realm>` like every Keycloak user. */
export function addUser(realm: RealmRec, input: UserInput, nowMs: number): UserRec {
  const user: UserRec = {
    id: input.id ?? randomUUID(),
    username: input.username.toLowerCase(),
    enabled: input.enabled ?? true,
    emailVerified: input.emailVerified ?? false,
    createdTimestamp: nowMs,
    attributes: input.attributes ?? {},
    requiredActions: input.requiredActions ?? [],
    roleIds: [],
    notBefore: 0,
  };
  if (input.email !== undefined) user.email = input.email.toLowerCase();
  if (input.firstName !== undefined) user.firstName = input.firstName;
  if (input.lastName !== undefined) user.lastName = input.lastName;
  if (input.passwordHash !== undefined) { user.passwordHash = input.passwordHash; user.passwordCreated = nowMs; }
  if (input.serviceAccountClientId !== undefined) user.serviceAccountClientId = input.serviceAccountClientId;
  const defaults = realmRole(realm, `default-roles-${realm.name}`);
  if (defaults) user.roleIds.push(defaults.id);
  realm.users.push(user);
  return user;
}

export function removeUser(realm: RealmRec, user: UserRec): void {
  realm.users = realm.users.filter((u) => u.id !== user.id);
  realm.sessions = realm.sessions.filter((s) => s.userId !== user.id);
  realm.deviceCodes = realm.deviceCodes.filter((d) => d.userId !== user.id);
}

export function grantRole(user: UserRec, role: RoleRec): void {
  if (!user.roleIds.includes(role.id)) user.roleIds.push(role.id);
}
