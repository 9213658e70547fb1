// Realm roles (`/roles`) and a user's role mappings (`/users/{id}/role-mappings[/realm|/clients/{uuid}]`).
// Mapping bodies are role representations that must name an existing role *and* carry its id, as
// RoleMapperResource checks both.
import type { Router } from '../kit/router.js';
import { adminUrl, paginate, PERMS, readJson, readJsonObject, requireAnyAdmin, requirePerm } from './admin-auth.js';
import { inRealm } from './admin-route.js';
import { findUser } from './admin-users.js';
import type { Kc } from './context.js';
import { badJson, conflict, errorMessage, notFound } from './errors.js';
import { recordAdminEvent } from './events.js';
import { addRole, clientById, effectiveRoles, grantRole, realmRole } from './model.js';
import { roleRep } from './representations.js';
import type { ClientRec, RealmRec, RoleRec } from './state.js';

function findRealmRole(realm: RealmRec, name: string | undefined): RoleRec {
  const role = name === undefined ? undefined : realmRole(realm, name);
  if (!role) throw notFound('Could not find role');
  return role;
}

/** Resolves a mapping body; `container` undefined = realm roles. */
function resolveRoles(realm: RealmRec, body: unknown, container: ClientRec | undefined, missing: string): RoleRec[] {
  if (!Array.isArray(body)) throw badJson();
  return body.map((rep: Record<string, unknown>) => {
    const role = realm.roles.find((r) => r.name === rep['name'] &&
      (container ? r.clientRole && r.containerId === container.id : !r.clientRole));
    if (!role || role.id !== rep['id']) throw notFound(missing);
    return role;
  });
}

export function registerRoleRoutes(router: Router, kc: Kc): void {
  router.get('/admin/realms/:realm/roles', inRealm(kc, (ctx, auth, realm) => {
    requireAnyAdmin(auth, realm);
    const search = ctx.query.get('search')?.toLowerCase();
    const roles = realm.roles.filter((r) => !r.clientRole && (!search || r.name.toLowerCase().includes(search)))
      .sort((a, b) => a.name.localeCompare(b.name));
    ctx.send(200, paginate(roles, ctx.query).map((r) => roleRep(r, ctx.query.get('briefRepresentation') !== 'false')));
  }));

  router.post('/admin/realms/:realm/roles', inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageRealm);
    const rep = await readJsonObject(ctx);
    const name = typeof rep['name'] === 'string' ? rep['name'].trim() : '';
    if (!name) throw errorMessage(400, 'Role name is missing');
    if (realmRole(realm, name)) throw conflict(`Role with name ${name} already exists`);
    kc.store.update(() => {
      const role = addRole(realm, name, realm.id, false, typeof rep['description'] === 'string' ? rep['description'] : undefined);
      if (rep['attributes'] && typeof rep['attributes'] === 'object') role.attributes = rep['attributes'] as Record<string, string[]>;
      recordAdminEvent(realm, kc.now(), auth.actor, 'CREATE', 'REALM_ROLE', `roles/${name}`, rep);
    });
    ctx.send(201, undefined, { location: adminUrl(kc, realm.name, 'roles', name) });
  }));

  router.get('/admin/realms/:realm/roles/:name', inRealm(kc, (ctx, auth, realm) => {
    requireAnyAdmin(auth, realm);
    ctx.send(200, roleRep(findRealmRole(realm, ctx.params['name']), false));
  }));

  router.put('/admin/realms/:realm/roles/:name', inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageRealm);
    const role = findRealmRole(realm, ctx.params['name']);
    const rep = await readJsonObject(ctx);
    const newName = typeof rep['name'] === 'string' ? rep['name'] : role.name;
    if (newName !== role.name && realmRole(realm, newName)) throw conflict(`Role with name ${newName} already exists`);
    kc.store.update(() => {
      role.name = newName;
      if (typeof rep['description'] === 'string') role.description = rep['description'];
      if (rep['attributes'] && typeof rep['attributes'] === 'object') role.attributes = rep['attributes'] as Record<string, string[]>;
      recordAdminEvent(realm, kc.now(), auth.actor, 'UPDATE', 'REALM_ROLE', `roles/${ctx.params['name']}`, rep);
    });
    ctx.send(204);
  }));

  router.delete('/admin/realms/:realm/roles/:name', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageRealm);
    const role = findRealmRole(realm, ctx.params['name']);
    kc.store.update(() => {
      realm.roles = realm.roles.filter((r) => r.id !== role.id);
      for (const r of realm.roles) r.composites = r.composites.filter((id) => id !== role.id);
      for (const u of realm.users) u.roleIds = u.roleIds.filter((id) => id !== role.id);
      recordAdminEvent(realm, kc.now(), auth.actor, 'DELETE', 'REALM_ROLE', `roles/${role.name}`);
    });
    ctx.send(204);
  }));

  router.get('/admin/realms/:realm/roles/:name/users', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewUsers);
    const role = findRealmRole(realm, ctx.params['name']);
    const users = realm.users.filter((u) => u.roleIds.includes(role.id));
    ctx.send(200, paginate(users, ctx.query, 100).map((u) => ({ id: u.id, username: u.username, enabled: u.enabled })));
  }));

  const mappings = '/admin/realms/:realm/users/:id/role-mappings';

  router.get(mappings, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewUsers);
    const user = findUser(realm, ctx.params['id']);
    const direct = realm.roles.filter((r) => user.roleIds.includes(r.id));
    const clientMappings: Record<string, unknown> = {};
    for (const r of direct.filter((x) => x.clientRole)) {
      const c = clientById(realm, r.containerId);
      if (!c) continue;
      const entry = (clientMappings[c.clientId] ??= { id: c.id, client: c.clientId, mappings: [] as unknown[] }) as { mappings: unknown[] };
      entry.mappings.push(roleRep(r));
    }
    const out: Record<string, unknown> = { realmMappings: direct.filter((r) => !r.clientRole).map((r) => roleRep(r)) };
    if (Object.keys(clientMappings).length > 0) out['clientMappings'] = clientMappings;
    ctx.send(200, out);
  }));

  // Realm-level and client-level mappings share one implementation; `:client` absent = realm roles.
  for (const [suffix, kind] of [['realm', 'REALM_ROLE_MAPPING'], ['clients/:client', 'CLIENT_ROLE_MAPPING']] as const) {
    const path = `${mappings}/${suffix}`;
    const container = (realm: RealmRec, id: string | undefined): ClientRec | undefined => {
      if (id === undefined) return undefined;
      const c = clientById(realm, id);
      if (!c) throw notFound('Could not find client');
      return c;
    };
    const inContainer = (r: RoleRec, c: ClientRec | undefined): boolean => (c ? r.clientRole && r.containerId === c.id : !r.clientRole);
    const resourcePath = (userId: string, c: ClientRec | undefined): string => `users/${userId}/role-mappings/${c ? `clients/${c.id}` : 'realm'}`;

    router.get(path, inRealm(kc, (ctx, auth, realm) => {
      requirePerm(auth, realm, PERMS.viewUsers);
      const user = findUser(realm, ctx.params['id']);
      const c = container(realm, ctx.params['client']);
      ctx.send(200, realm.roles.filter((r) => user.roleIds.includes(r.id) && inContainer(r, c)).map((r) => roleRep(r)));
    }));
    router.get(`${path}/available`, inRealm(kc, (ctx, auth, realm) => {
      requirePerm(auth, realm, PERMS.viewUsers);
      const user = findUser(realm, ctx.params['id']);
      const c = container(realm, ctx.params['client']);
      ctx.send(200, realm.roles.filter((r) => !user.roleIds.includes(r.id) && inContainer(r, c)).map((r) => roleRep(r)));
    }));
    router.get(`${path}/composite`, inRealm(kc, (ctx, auth, realm) => {
      requirePerm(auth, realm, PERMS.viewUsers);
      const user = findUser(realm, ctx.params['id']);
      const c = container(realm, ctx.params['client']);
      ctx.send(200, effectiveRoles(realm, user.roleIds).filter((r) => inContainer(r, c)).map((r) => roleRep(r)));
    }));
    router.post(path, inRealm(kc, async (ctx, auth, realm) => {
      requirePerm(auth, realm, PERMS.manageUsers);
      const user = findUser(realm, ctx.params['id']);
      const c = container(realm, ctx.params['client']);
      const body = await readJson<unknown>(ctx);
      const roles = resolveRoles(realm, body, c, 'Role not found');
      kc.store.update(() => {
        for (const r of roles) grantRole(user, r);
        recordAdminEvent(realm, kc.now(), auth.actor, 'CREATE', kind, resourcePath(user.id, c), body);
      });
      ctx.send(204);
    }));
    router.delete(path, inRealm(kc, async (ctx, auth, realm) => {
      requirePerm(auth, realm, PERMS.manageUsers);
      const user = findUser(realm, ctx.params['id']);
      const c = container(realm, ctx.params['client']);
      const text = await ctx.text();
      // No body = remove every mapping of this kind.
      const body: unknown = text.trim() === '' ? realm.roles.filter((r) => user.roleIds.includes(r.id) && inContainer(r, c)).map((r) => ({ id: r.id, name: r.name })) : parseOrThrow(text);
      const roles = resolveRoles(realm, body, c, "Couldn't find role");
      kc.store.update(() => {
        const ids = new Set(roles.map((r) => r.id));
        user.roleIds = user.roleIds.filter((id) => !ids.has(id));
        recordAdminEvent(realm, kc.now(), auth.actor, 'DELETE', kind, resourcePath(user.id, c), body);
      });
      ctx.send(204);
    }));
  }
}

function parseOrThrow(text: string): unknown {
  try { return JSON.parse(text); } catch { throw badJson(); }
}
