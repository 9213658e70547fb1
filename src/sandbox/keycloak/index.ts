// The Keycloak emulator of the embedded sandbox: realms `master` (operator admin), `cdm` (provider
// realm) and one realm per tenant (named by the tenant id, as upstream's `${TENANT_ID}` realm),
// persisted in one state file so restarts keep keys, users, clients, sessions and events.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JsonStore } from '../kit/store.js';
import type { Emulator } from '../kit/types.js';
import { approveByHost } from './device.js';
import type { Kc } from './context.js';
import { addClient, addRole, addUser, clientByClientId, clientRole, grantRole, realmRole, userByLogin } from './model.js';
import { hashPassword } from './passwords.js';
import { createRealm, MASTER } from './realm-factory.js';
import { dispatch, buildRouter } from './server.js';
import type { KcState, RealmRec, RealmSettings, RoleRec } from './state.js';

export interface KeycloakSeed {
  adminUsername: string;
  adminPassword: string;
  tenants: string[];
  /** Seed the provider realm `cdm` (default true). A tenant stack's Keycloak has only master and its tenant realm. */
  providerRealm?: boolean;
  /** `realmRoles` may also name `realm-management` client roles (e.g. `realm-admin`, `manage-users`). */
  users?: Array<{ realm: string; username: string; password: string; realmRoles?: string[] }>;
  /**
   * Confidential unless `publicClient`; a secret is generated when omitted. `serviceAccountRealmRoles`
   * (even empty) enables the service account (client_credentials) and maps those roles to it.
   */
  clients?: Array<{ realm: string; clientId: string; secret?: string; publicClient?: boolean; serviceAccountRealmRoles?: string[]; deviceFlow?: boolean; directAccessGrants?: boolean }>;
}

export interface KeycloakEmulatorOptions {
  /** undefined = memory only */
  stateFile?: string;
  /** e.g. http://127.0.0.1:18080 (issuer base, no trailing slash) */
  publicUrl: string;
  relativePath?: '' | '/auth';
  seed: KeycloakSeed;
  /** ms clock for tests */
  now?: () => number;
}

export type KeycloakEmulator = Emulator & {
  addTenantRealm(tenantId: string): void;
  approveDeviceCode(realm: string, userCode: string, username: string): void;
};

/** Event types the platform's realm templates audit, plus refreshes (not saved by Keycloak's default). */
const AUDITED_EVENTS = [
  'LOGIN', 'LOGIN_ERROR', 'LOGOUT', 'LOGOUT_ERROR', 'CODE_TO_TOKEN', 'CODE_TO_TOKEN_ERROR', 'CLIENT_LOGIN', 'CLIENT_LOGIN_ERROR',
  'REFRESH_TOKEN', 'REFRESH_TOKEN_ERROR', 'OAUTH2_DEVICE_AUTH', 'OAUTH2_DEVICE_AUTH_ERROR', 'OAUTH2_DEVICE_VERIFY_USER_CODE',
  'OAUTH2_DEVICE_VERIFY_USER_CODE_ERROR', 'OAUTH2_DEVICE_CODE_TO_TOKEN', 'OAUTH2_DEVICE_CODE_TO_TOKEN_ERROR',
  'REVOKE_GRANT', 'REVOKE_GRANT_ERROR', 'UPDATE_PASSWORD', 'UPDATE_PROFILE', 'REGISTER',
];
const SEEDED_SETTINGS: Partial<RealmSettings> = {
  eventsEnabled: true, enabledEventTypes: AUDITED_EVENTS, adminEventsEnabled: true, adminEventsDetailsEnabled: true,
};
const CLI_CLIENT = {
  clientId: 'cdm-cli', publicClient: true, standardFlowEnabled: false, directAccessGrantsEnabled: true,
  attributes: { 'oauth2.device.authorization.grant.enabled': 'true' }, other: { name: 'cdm operator CLI' },
};

/** A seed role name: a realm role, else a `realm-management` client role of that realm. */
function seedRole(realm: RealmRec, name: string): RoleRec {
  const role = realmRole(realm, name) ?? (() => {
    const mgmt = clientByClientId(realm, realm.name === MASTER ? 'master-realm' : 'realm-management');
    return mgmt && clientRole(realm, mgmt.id, name);
  })();
  if (!role) throw new Error(`keycloak sandbox seed: realm ${realm.name} has no role ${name}`);
  return role;
}

function ensureTenantRealm(state: KcState, tenantId: string, nowMs: number): void {
  if (state.realms[tenantId]) return;
  const realm = createRealm(state, tenantId, nowMs, { ...SEEDED_SETTINGS, displayName: tenantId });
  addRole(realm, 'cdm-admin', realm.id, false, 'Tenant administrator');
  addRole(realm, 'cdm-operator', realm.id, false);
  addRole(realm, 'cdm-viewer', realm.id, false);
  addClient(realm, CLI_CLIENT, nowMs);
}

function seedState(state: KcState, seed: KeycloakSeed, nowMs: number): void {
  if (!state.realms[MASTER]) {
    const master = createRealm(state, MASTER, nowMs, { ...SEEDED_SETTINGS, displayName: 'Keycloak' });
    const admin = addUser(master, { username: seed.adminUsername, passwordHash: hashPassword(seed.adminPassword) }, nowMs);
    grantRole(admin, realmRole(master, 'admin')!);
  }
  if (seed.providerRealm !== false && !state.realms['cdm']) {
    const cdm = createRealm(state, 'cdm', nowMs, { ...SEEDED_SETTINGS, displayName: 'Complete Device Management' });
    for (const r of ['cdm-admin', 'cdm-operator', 'cdm-viewer', 'platform-admin', 'platform-operator']) addRole(cdm, r, cdm.id, false);
    addClient(cdm, CLI_CLIENT, nowMs);
  }
  for (const t of seed.tenants) ensureTenantRealm(state, t, nowMs);
  // Like Keycloak's --import-realm, seed content is only added where it does not exist yet: state wins.
  for (const u of seed.users ?? []) {
    const realm = state.realms[u.realm];
    if (!realm) throw new Error(`keycloak sandbox seed: user ${u.username} names unknown realm ${u.realm}`);
    if (userByLogin(realm, u.username)) continue;
    const user = addUser(realm, { username: u.username, passwordHash: hashPassword(u.password) }, nowMs);
    for (const name of u.realmRoles ?? []) grantRole(user, seedRole(realm, name));
  }
  for (const c of seed.clients ?? []) {
    const realm = state.realms[c.realm];
    if (!realm) throw new Error(`keycloak sandbox seed: client ${c.clientId} names unknown realm ${c.realm}`);
    if (clientByClientId(realm, c.clientId)) continue;
    const client = addClient(realm, {
      clientId: c.clientId, publicClient: c.publicClient ?? false, ...(c.secret !== undefined ? { secret: c.secret } : {}),
      standardFlowEnabled: false, directAccessGrantsEnabled: c.directAccessGrants ?? false,
      serviceAccountsEnabled: c.serviceAccountRealmRoles !== undefined && !c.publicClient,
      attributes: c.deviceFlow ? { 'oauth2.device.authorization.grant.enabled': 'true' } : {},
    }, nowMs);
    const sa = realm.users.find((u) => u.serviceAccountClientId === client.id);
    if (sa) for (const name of c.serviceAccountRealmRoles ?? []) grantRole(sa, seedRole(realm, name));
  }
}

export function createKeycloakEmulator(opts: KeycloakEmulatorOptions): KeycloakEmulator {
  const now = opts.now ?? Date.now;
  const rel = opts.relativePath ?? '';
  const store = new JsonStore<KcState>(opts.stateFile, () => ({ version: 1, realms: {} }));
  store.update((s) => seedState(s, opts.seed, now()));
  const kc: Kc = { store, now, base: `${opts.publicUrl.replace(/\/+$/, '')}${rel}` };
  const router = buildRouter(kc);
  return {
    name: 'keycloak',
    handle: (req: IncomingMessage, res: ServerResponse) => dispatch(kc, router, rel, req, res),
    addTenantRealm: (tenantId) => store.update((s) => ensureTenantRealm(s, tenantId, now())),
    approveDeviceCode: (realm, userCode, username) => approveByHost(kc, realm, userCode, username),
  };
}
