// /admin/realms/{r}/clients: list/search/paging, create (201 + Location), get, update, delete,
// client-secret read and regenerate, service-account user and client roles.
import type { Router } from '../kit/router.js';
import { adminUrl, paginate, PERMS, readJsonObject, requirePerm } from './admin-auth.js';
import { inRealm } from './admin-route.js';
import type { Kc } from './context.js';
import { conflict, jaxrs, notFound, oauthError } from './errors.js';
import { recordAdminEvent } from './events.js';
import { addClient, addRole, clientById, ensureServiceAccount, generateSecret, removeClient, type ClientInput } from './model.js';
import { clientRep, roleRep, SECRET_MASK, userRep } from './representations.js';
import type { ClientRec, RealmRec } from './state.js';

const BOOL_FIELDS = ['enabled', 'publicClient', 'bearerOnly', 'standardFlowEnabled', 'implicitFlowEnabled', 'directAccessGrantsEnabled', 'serviceAccountsEnabled'] as const;
/** Read-only or computed fields that are never stored from a representation. */
const IGNORED = new Set(['id', 'clientId', 'secret', 'attributes', 'redirectUris', 'webOrigins', 'access', ...BOOL_FIELDS]);

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
function stringMap(v: unknown): Record<string, string> | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, String(x)]));
}

/** ClientRepresentation → model input (also used for clients embedded in a realm import). */
export function clientInputFromRep(rep: Record<string, unknown>): ClientInput {
  const input: ClientInput = { clientId: String(rep['clientId'] ?? '') };
  if (typeof rep['id'] === 'string') input.id = rep['id'];
  for (const f of BOOL_FIELDS) if (typeof rep[f] === 'boolean') input[f] = rep[f];
  if (typeof rep['secret'] === 'string') input.secret = rep['secret'];
  const attributes = stringMap(rep['attributes']);
  if (attributes) input.attributes = attributes;
  const redirectUris = strings(rep['redirectUris']);
  if (redirectUris) input.redirectUris = redirectUris;
  const webOrigins = strings(rep['webOrigins']);
  if (webOrigins) input.webOrigins = webOrigins;
  input.other = Object.fromEntries(Object.entries(rep).filter(([k]) => !IGNORED.has(k)));
  return input;
}

/** What admin events store: the representation with the secret masked. */
function masked(rep: Record<string, unknown>): Record<string, unknown> {
  return rep['secret'] === undefined ? rep : { ...rep, secret: SECRET_MASK };
}

function findClient(realm: RealmRec, id: string | undefined): ClientRec {
  const client = id === undefined ? undefined : clientById(realm, id);
  if (!client) throw notFound('Could not find client');
  return client;
}

export function registerClientRoutes(router: Router, kc: Kc): void {
  const base = '/admin/realms/:realm/clients';

  router.get(base, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.queryClients);
    const clientId = ctx.query.get('clientId');
    const search = ctx.query.get('search') === 'true';
    const q = ctx.query.get('q');
    const attrs = q ? q.split(' ').filter(Boolean).map((p) => p.split(':') as [string, string?]) : [];
    const hits = realm.clients.filter((c) =>
      (!clientId || (search ? c.clientId.toLowerCase().includes(clientId.toLowerCase()) : c.clientId === clientId)) &&
      attrs.every(([k, v]) => c.attributes[k] === (v ?? '')));
    ctx.send(200, paginate(hits, ctx.query).map(clientRep));
  }));

  router.post(base, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.createClient);
    const rep = await readJsonObject(ctx);
    const input = clientInputFromRep(rep);
    if (!input.clientId) throw oauthError(400, 'invalid_input', 'Client Id is required');
    if (realm.clients.some((c) => c.clientId === input.clientId || c.id === input.id)) throw conflict(`Client ${input.clientId} already exists`);
    const client = kc.store.update(() => {
      const c = addClient(realm, input, kc.now());
      recordAdminEvent(realm, kc.now(), auth.actor, 'CREATE', 'CLIENT', `clients/${c.id}`, masked(rep));
      return c;
    });
    ctx.send(201, undefined, { location: adminUrl(kc, realm.name, 'clients', client.id) });
  }));

  router.get(`${base}/:id`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewClients);
    ctx.send(200, clientRep(findClient(realm, ctx.params['id'])));
  }));

  router.put(`${base}/:id`, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageClients);
    const client = findClient(realm, ctx.params['id']);
    const rep = await readJsonObject(ctx);
    const input = clientInputFromRep(rep);
    if (input.clientId && input.clientId !== client.clientId && realm.clients.some((c) => c.clientId === input.clientId)) {
      throw conflict('Client already exists');
    }
    kc.store.update(() => {
      if (input.clientId) client.clientId = input.clientId;
      for (const f of BOOL_FIELDS) if (input[f] !== undefined) client[f] = input[f];
      if (input.secret !== undefined && input.secret !== SECRET_MASK) client.secret = input.secret;
      if (!client.publicClient && client.secret === undefined) client.secret = generateSecret();
      if (input.attributes) Object.assign(client.attributes, input.attributes);
      if (input.redirectUris) client.redirectUris = input.redirectUris;
      if (input.webOrigins) client.webOrigins = input.webOrigins;
      Object.assign(client.other, input.other);
      if (client.serviceAccountsEnabled) ensureServiceAccount(realm, client, kc.now());
      recordAdminEvent(realm, kc.now(), auth.actor, 'UPDATE', 'CLIENT', `clients/${client.id}`, masked(rep));
    });
    ctx.send(204);
  }));

  router.delete(`${base}/:id`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageClients);
    const client = findClient(realm, ctx.params['id']);
    kc.store.update(() => {
      removeClient(realm, client);
      recordAdminEvent(realm, kc.now(), auth.actor, 'DELETE', 'CLIENT', `clients/${client.id}`);
    });
    ctx.send(204);
  }));

  router.get(`${base}/:id/client-secret`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewClients);
    const client = findClient(realm, ctx.params['id']);
    ctx.send(200, client.secret === undefined ? { type: 'secret' } : { type: 'secret', value: client.secret });
  }));

  router.post(`${base}/:id/client-secret`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageClients);
    const client = findClient(realm, ctx.params['id']);
    const secret = kc.store.update(() => {
      client.secret = generateSecret();
      recordAdminEvent(realm, kc.now(), auth.actor, 'ACTION', 'CLIENT', `clients/${client.id}/client-secret`, { type: 'secret', value: SECRET_MASK });
      return client.secret;
    });
    ctx.send(200, { type: 'secret', value: secret });
  }));

  router.get(`${base}/:id/service-account-user`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewClients);
    const client = findClient(realm, ctx.params['id']);
    const user = realm.users.find((u) => u.serviceAccountClientId === client.id);
    if (!client.serviceAccountsEnabled || !user) throw jaxrs(400, `Service account not enabled for the client '${client.clientId}'`);
    ctx.send(200, userRep(user));
  }));

  router.get(`${base}/:id/roles`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewClients);
    const client = findClient(realm, ctx.params['id']);
    const roles = realm.roles.filter((r) => r.clientRole && r.containerId === client.id);
    ctx.send(200, paginate(roles, ctx.query).map((r) => roleRep(r, ctx.query.get('briefRepresentation') !== 'false')));
  }));

  router.post(`${base}/:id/roles`, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageClients);
    const client = findClient(realm, ctx.params['id']);
    const rep = await readJsonObject(ctx);
    const name = typeof rep['name'] === 'string' ? rep['name'] : '';
    if (!name) throw jaxrs(400, 'Role name is missing');
    if (realm.roles.some((r) => r.clientRole && r.containerId === client.id && r.name === name)) throw conflict(`Role with name ${name} already exists`);
    kc.store.update(() => {
      addRole(realm, name, client.id, true, typeof rep['description'] === 'string' ? rep['description'] : undefined);
      recordAdminEvent(realm, kc.now(), auth.actor, 'CREATE', 'CLIENT_ROLE', `clients/${client.id}/roles/${name}`, rep);
    });
    ctx.send(201, undefined, { location: adminUrl(kc, realm.name, 'clients', client.id, 'roles', name) });
  }));

  router.get(`${base}/:id/roles/:name`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewClients);
    const client = findClient(realm, ctx.params['id']);
    const role = realm.roles.find((r) => r.clientRole && r.containerId === client.id && r.name === ctx.params['name']);
    if (!role) throw notFound('Could not find role');
    ctx.send(200, roleRep(role, false));
  }));
}
