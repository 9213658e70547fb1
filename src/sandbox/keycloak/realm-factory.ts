// Building and removing realms with the built-in content every Keycloak realm has: default roles,
// the `account`/`admin-cli`/`broker`/`realm-management`/… clients, and in `master` one `<realm>-realm`
// client per realm whose roles the master `admin` role aggregates. That wiring is what decides who
// may call the admin API on which realm (see admin-auth.ts).
import { randomUUID } from 'node:crypto';
import { generateRealmKeys } from './keys.js';
import { addClient, addRole, clientByClientId, MANAGEMENT_ROLES, realmRole, removeClient } from './model.js';
import type { KcState, RealmRec, RealmSettings, RoleRec } from './state.js';

export const MASTER = 'master';

export function defaultSettings(name: string): RealmSettings {
  return {
    enabled: true,
    sslRequired: 'external',
    accessTokenLifespan: name === MASTER ? 60 : 300, // master tokens live 60 s in Keycloak
    ssoSessionIdleTimeout: 1800,
    ssoSessionMaxLifespan: 36000,
    oauth2DeviceCodeLifespan: 600,
    oauth2DevicePollingInterval: 5,
    eventsEnabled: false,
    eventsListeners: ['jboss-logging'],
    enabledEventTypes: [],
    adminEventsEnabled: false,
    adminEventsDetailsEnabled: false,
    registrationAllowed: false,
    bruteForceProtected: false,
    duplicateEmailsAllowed: false,
    loginWithEmailAllowed: true,
    notBefore: 0,
  };
}

export function createRealm(state: KcState, name: string, nowMs: number, settings: Partial<RealmSettings> = {}, id?: string): RealmRec {
  const realm: RealmRec = {
    id: id ?? randomUUID(),
    name,
    settings: { ...defaultSettings(name), ...settings },
    other: {},
    keys: generateRealmKeys(name, nowMs),
    roles: [], clients: [], users: [], idps: [], idpMappers: [], sessions: [], deviceCodes: [],
    revokedTokens: [], events: [], adminEvents: [],
  };
  state.realms[name] = realm;

  const offline = addRole(realm, 'offline_access', realm.id, false, '${role_offline-access}');
  const uma = addRole(realm, 'uma_authorization', realm.id, false, '${role_uma_authorization}');
  const defaults = addRole(realm, `default-roles-${name}`, realm.id, false, '${role_default-roles}');

  const account = addClient(realm, { clientId: 'account', publicClient: true, other: { name: '${client_account}' } }, nowMs);
  const manageAccount = addRole(realm, 'manage-account', account.id, true);
  const links = addRole(realm, 'manage-account-links', account.id, true);
  manageAccount.composites.push(links.id);
  const viewProfile = addRole(realm, 'view-profile', account.id, true);
  for (const r of ['view-applications', 'view-consent', 'manage-consent', 'view-groups', 'delete-account']) addRole(realm, r, account.id, true);
  defaults.composites.push(offline.id, uma.id, viewProfile.id, manageAccount.id);

  addClient(realm, { clientId: 'account-console', publicClient: true, other: { name: '${client_account-console}' } }, nowMs);
  addClient(realm, { clientId: 'admin-cli', publicClient: true, standardFlowEnabled: false, directAccessGrantsEnabled: true, other: { name: '${client_admin-cli}' } }, nowMs);
  addClient(realm, { clientId: 'broker', bearerOnly: true, standardFlowEnabled: false, other: { name: '${client_broker}' } }, nowMs);
  addClient(realm, { clientId: 'security-admin-console', publicClient: true, other: { name: '${client_security-admin-console}' } }, nowMs);

  if (name === MASTER) {
    const create = addRole(realm, 'create-realm', realm.id, false, '${role_create-realm}');
    const admin = addRole(realm, 'admin', realm.id, false, '${role_admin}');
    admin.composites.push(create.id);
    addMasterAdminClient(realm, name, nowMs);
  } else {
    const mgmt = addClient(realm, { clientId: 'realm-management', bearerOnly: true, standardFlowEnabled: false, other: { name: '${client_realm-management}' } }, nowMs);
    const all = MANAGEMENT_ROLES.map((r) => addRole(realm, r, mgmt.id, true, `\${role_${r}}`));
    wireManagementComposites(realm, all);
    const realmAdmin = addRole(realm, 'realm-admin', mgmt.id, true, '${role_realm-admin}');
    realmAdmin.composites.push(...all.map((r) => r.id));
    const master = state.realms[MASTER];
    if (master) addMasterAdminClient(master, name, nowMs);
  }
  return realm;
}

/** In master, `<realm>-realm` carries the management roles for that realm; master `admin` includes them all. */
function addMasterAdminClient(master: RealmRec, realmName: string, nowMs: number): void {
  const client = addClient(master, { clientId: `${realmName}-realm`, bearerOnly: true, standardFlowEnabled: false, other: { name: `${realmName} Realm` } }, nowMs);
  const roles = MANAGEMENT_ROLES.map((r) => addRole(master, r, client.id, true, `\${role_${r}}`));
  wireManagementComposites(master, roles);
  realmRole(master, 'admin')?.composites.push(...roles.map((r) => r.id));
}

/** view-users includes query-users/query-groups and view-clients includes query-clients, as in Keycloak. */
function wireManagementComposites(realm: RealmRec, roles: RoleRec[]): void {
  const by = (n: string): RoleRec => roles.find((r) => r.name === n)!;
  by('view-users').composites.push(by('query-users').id, by('query-groups').id);
  by('view-clients').composites.push(by('query-clients').id);
}

export function removeRealm(state: KcState, name: string): void {
  delete state.realms[name];
  const master = state.realms[MASTER];
  const client = master && clientByClientId(master, `${name}-realm`);
  if (master && client) removeClient(master, client);
}

/** A realm rename keeps the master admin client in step (`<old>-realm` → `<new>-realm`). */
export function renameRealm(state: KcState, realm: RealmRec, newName: string): void {
  const oldName = realm.name;
  delete state.realms[oldName];
  realm.name = newName;
  state.realms[newName] = realm;
  const defaults = realmRole(realm, `default-roles-${oldName}`);
  if (defaults) defaults.name = `default-roles-${newName}`;
  const master = state.realms[MASTER];
  const client = master && clientByClientId(master, `${oldName}-realm`);
  if (client) { client.clientId = `${newName}-realm`; client.other['name'] = `${newName} Realm`; }
}
