// /admin/realms: list (filtered to what the caller may see; empty → 403), create from a full
// RealmRepresentation (embedded roles, clients, users, identity providers), get, partial update
// (including rename) and delete.
import type { Router } from '../kit/router.js';
import { adminUrl, authenticateAdmin, hasAnyRole, isRealmAdmin, PERMS, readJsonObject, requirePerm } from './admin-auth.js';
import { inRealm } from './admin-route.js';
import { clientInputFromRep } from './admin-clients.js';
import { addIdp } from './admin-idps.js';
import { createUserFromRep } from './admin-users.js';
import type { Kc } from './context.js';
import { conflict, errorMessage, forbidden } from './errors.js';
import { recordAdminEvent } from './events.js';
import { addClient, addRole, clientByClientId, clientRole, grantRole, MANAGEMENT_ROLES, realmRole } from './model.js';
import { createRealm, MASTER, removeRealm, renameRealm } from './realm-factory.js';
import { realmRep } from './representations.js';
import type { RealmRec, RealmSettings } from './state.js';

type Key = keyof RealmSettings;
const NUMBER_KEYS: Key[] = ['accessTokenLifespan', 'ssoSessionIdleTimeout', 'ssoSessionMaxLifespan', 'oauth2DeviceCodeLifespan', 'oauth2DevicePollingInterval', 'eventsExpiration', 'notBefore'];
const BOOL_KEYS: Key[] = ['enabled', 'eventsEnabled', 'adminEventsEnabled', 'adminEventsDetailsEnabled', 'registrationAllowed', 'bruteForceProtected', 'duplicateEmailsAllowed', 'loginWithEmailAllowed'];
const STRING_KEYS: Key[] = ['displayName', 'sslRequired'];
const LIST_KEYS: Key[] = ['eventsListeners', 'enabledEventTypes'];
/** Parts of a realm representation that are content (imported separately) or server-assigned. */
const NOT_OTHER = new Set<string>(['id', 'realm', 'users', 'clients', 'roles', 'groups', 'identityProviders', 'identityProviderMappers', ...NUMBER_KEYS, ...BOOL_KEYS, ...STRING_KEYS, ...LIST_KEYS]);

export function settingsFromRep(rep: Record<string, unknown>): Partial<RealmSettings> {
  const out: Record<string, unknown> = {};
  for (const k of NUMBER_KEYS) if (typeof rep[k] === 'number') out[k] = rep[k];
  for (const k of BOOL_KEYS) if (typeof rep[k] === 'boolean') out[k] = rep[k];
  for (const k of STRING_KEYS) if (typeof rep[k] === 'string') out[k] = rep[k];
  for (const k of LIST_KEYS) if (Array.isArray(rep[k])) out[k] = (rep[k] as unknown[]).map(String);
  return out as Partial<RealmSettings>;
}

const otherOf = (rep: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(rep).filter(([k]) => !NOT_OTHER.has(k)));
const list = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.filter((x) => typeof x === 'object' && x !== null) : []);

/** Imports the embedded content of a RealmRepresentation into a freshly created realm. */
function importContent(realm: RealmRec, rep: Record<string, unknown>, nowMs: number): void {
  const roles = (rep['roles'] ?? {}) as Record<string, unknown>;
  for (const r of list(roles['realm'])) {
    const name = String(r['name'] ?? '');
    if (name && !realmRole(realm, name)) addRole(realm, name, realm.id, false, typeof r['description'] === 'string' ? r['description'] : undefined);
  }
  for (const c of list(rep['clients'])) {
    const input = clientInputFromRep(c);
    if (input.clientId && !clientByClientId(realm, input.clientId)) addClient(realm, input, nowMs);
  }
  const clientRoles = (roles['client'] ?? {}) as Record<string, unknown>;
  for (const [clientId, reps] of Object.entries(clientRoles)) {
    const client = clientByClientId(realm, clientId);
    if (client) for (const r of list(reps)) if (!clientRole(realm, client.id, String(r['name']))) addRole(realm, String(r['name']), client.id, true);
  }
  for (const u of list(rep['users'])) {
    const user = createUserFromRep(realm, u, nowMs);
    // Unlike POST /users, an import honours realmRoles and clientRoles.
    for (const name of Array.isArray(u['realmRoles']) ? u['realmRoles'].map(String) : []) {
      const role = realmRole(realm, name);
      if (role) grantRole(user, role);
    }
    for (const [clientId, names] of Object.entries((u['clientRoles'] ?? {}) as Record<string, unknown>)) {
      const client = clientByClientId(realm, clientId);
      for (const name of Array.isArray(names) ? names.map(String) : []) {
        const role = client && clientRole(realm, client.id, name);
        if (role) grantRole(user, role);
      }
    }
  }
  for (const i of list(rep['identityProviders'])) addIdp(realm, i);
}

export function registerRealmRoutes(router: Router, kc: Kc): void {
  router.get('/admin/realms', async (ctx) => {
    const auth = await authenticateAdmin(kc, ctx);
    const brief = ctx.query.get('briefRepresentation') === 'true';
    const reps = Object.values(kc.store.state.realms).flatMap((realm) => {
      if (auth.realm.name !== MASTER && auth.realm.id !== realm.id) return [];
      if (hasAnyRole(auth, realm, PERMS.viewRealm)) {
        const full = realmRep(realm);
        return [brief ? { id: realm.id, realm: realm.name, displayName: realm.settings.displayName, enabled: realm.settings.enabled } : full];
      }
      return isRealmAdmin(auth, realm) ? [{ realm: realm.name }] : [];
    });
    if (reps.length === 0) throw forbidden();
    ctx.send(200, reps);
  });

  router.post('/admin/realms', async (ctx) => {
    const auth = await authenticateAdmin(kc, ctx);
    const isAdmin = auth.realm.name === MASTER && auth.roles.some((r) => !r.clientRole && r.name === 'admin');
    const canCreate = auth.realm.name === MASTER && auth.roles.some((r) => !r.clientRole && (r.name === 'create-realm' || r.name === 'admin'));
    if (!canCreate) throw forbidden();
    const rep = await readJsonObject(ctx);
    const name = typeof rep['realm'] === 'string' ? rep['realm'].trim() : '';
    if (!name) throw errorMessage(400, 'Realm name cannot be empty');
    const state = kc.store.state;
    if (state.realms[name] || Object.values(state.realms).some((r) => r.id === rep['id'])) throw conflict('Conflict detected. See logs for details');
    kc.store.update((s) => {
      // A realm created through the API is disabled unless the representation says otherwise.
      const realm = createRealm(s, name, kc.now(), { enabled: false, ...settingsFromRep(rep) }, typeof rep['id'] === 'string' ? rep['id'] : undefined);
      realm.other = otherOf(rep);
      try {
        importContent(realm, rep, kc.now());
      } catch (err) {
        removeRealm(s, name); // an import either lands whole or not at all
        throw err;
      }
      // A creator without master `admin` is granted the management roles of the realm it created.
      if (!isAdmin) {
        const master = s.realms[MASTER]!;
        const mgmt = clientByClientId(master, `${name}-realm`)!;
        const user = master.users.find((u) => u.id === auth.user.id)!;
        for (const r of MANAGEMENT_ROLES) grantRole(user, clientRole(master, mgmt.id, r)!);
      }
      recordAdminEvent(realm, kc.now(), auth.actor, 'CREATE', 'REALM', name, rep);
    });
    ctx.send(201, undefined, { location: adminUrl(kc, name) });
  });

  router.get('/admin/realms/:realm', inRealm(kc, (ctx, auth, realm) => {
    if (hasAnyRole(auth, realm, PERMS.viewRealm)) { ctx.send(200, realmRep(realm)); return; }
    if (!isRealmAdmin(auth, realm)) throw forbidden();
    ctx.send(200, { id: realm.id, realm: realm.name, displayName: realm.settings.displayName, enabled: realm.settings.enabled });
  }));

  router.put('/admin/realms/:realm', inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageRealm);
    const rep = await readJsonObject(ctx);
    const newName = typeof rep['realm'] === 'string' && rep['realm'] ? rep['realm'] : realm.name;
    if (newName !== realm.name && kc.store.state.realms[newName]) throw conflict('Realm with same name exists');
    kc.store.update((s) => {
      Object.assign(realm.settings, settingsFromRep(rep));
      Object.assign(realm.other, otherOf(rep));
      if (newName !== realm.name) renameRealm(s, realm, newName);
      recordAdminEvent(realm, kc.now(), auth.actor, 'UPDATE', 'REALM', '', rep);
    });
    ctx.send(204);
  }));

  router.delete('/admin/realms/:realm', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageRealm);
    kc.store.update((s) => removeRealm(s, realm.name));
    ctx.send(204);
  }));
}
