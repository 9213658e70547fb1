// Admin REST resources: clients, users, realm roles and role mappings, identity providers — including
// 201 + Location, 409 bodies, 404 bodies and paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, claimsOf, idFromLocation, startKeycloak, type KcHarness } from '../../helpers/keycloak-harness.js';

let kc: KcHarness;
let token: string;
beforeAll(async () => { kc = await startKeycloak(); });
afterAll(async () => { await kc.close(); });
// Master tokens live 60 s on the emulator's clock; a fresh one per test keeps tests independent.
const admin = async (): Promise<string> => (token = await kc.adminToken());
const A = '/admin/realms/cdm';

describe('clients', () => {
  it('creates a client: 201, Location ending in the new id, generated secret; 409 on duplicate', async () => {
    await admin();
    const res = await kc.api('POST', `${A}/clients`, token, { clientId: 'fleet-ci', serviceAccountsEnabled: true, publicClient: false });
    expect(res.status).toBe(201);
    const id = idFromLocation(res);
    expect(res.headers.get('location')).toBe(`${kc.base}${A}/clients/${id}`);
    const rep = (await (await kc.api('GET', `${A}/clients/${id}`, token)).json()) as Record<string, unknown>;
    expect(rep).toMatchObject({ id, clientId: 'fleet-ci', serviceAccountsEnabled: true, publicClient: false, protocol: 'openid-connect', enabled: true });
    expect(rep['secret']).toMatch(/^[A-Za-z0-9]{32}$/);

    const dup = await kc.api('POST', `${A}/clients`, token, { clientId: 'fleet-ci' });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toEqual({ errorMessage: 'Client fleet-ci already exists' });

    const sa = (await (await kc.api('GET', `${A}/clients/${id}/service-account-user`, token)).json()) as Record<string, unknown>;
    expect(sa).toMatchObject({ username: 'service-account-fleet-ci', serviceAccountClientId: id });
  });

  it('searches by clientId (exact, or substring with search=true) and pages with first/max', async () => {
    await admin();
    for (const n of [1, 2, 3]) await kc.api('POST', `${A}/clients`, token, { clientId: `page-${n}` });
    let list = (await (await kc.api('GET', `${A}/clients?clientId=page-2`, token)).json()) as Array<{ clientId: string }>;
    expect(list.map((c) => c.clientId)).toEqual(['page-2']);
    list = (await (await kc.api('GET', `${A}/clients?clientId=page`, token)).json()) as Array<{ clientId: string }>;
    expect(list).toEqual([]);
    list = (await (await kc.api('GET', `${A}/clients?clientId=PAGE&search=true`, token)).json()) as Array<{ clientId: string }>;
    expect(list.map((c) => c.clientId)).toEqual(['page-1', 'page-2', 'page-3']);
    list = (await (await kc.api('GET', `${A}/clients?clientId=page&search=true&first=1&max=1`, token)).json()) as Array<{ clientId: string }>;
    expect(list.map((c) => c.clientId)).toEqual(['page-2']);
    const all = (await (await kc.api('GET', `${A}/clients`, token)).json()) as Array<{ clientId: string }>;
    expect(all.map((c) => c.clientId)).toEqual(expect.arrayContaining(['account', 'admin-cli', 'realm-management', 'cdm-cli']));
  });

  it('updates (204), reads and regenerates the secret, deletes (204) and 404s afterwards', async () => {
    await admin();
    const id = idFromLocation(await kc.api('POST', `${A}/clients`, token, { clientId: 'rotating', secret: 's1', serviceAccountsEnabled: true }));
    let res = await kc.api('PUT', `${A}/clients/${id}`, token, { clientId: 'rotating', description: 'rotates', attributes: { 'access.token.lifespan': '42' } });
    expect(res.status).toBe(204);
    const rep = (await (await kc.api('GET', `${A}/clients/${id}`, token)).json()) as Record<string, unknown>;
    expect(rep).toMatchObject({ description: 'rotates', attributes: { 'access.token.lifespan': '42' } });

    expect(await (await kc.api('GET', `${A}/clients/${id}/client-secret`, token)).json()).toEqual({ type: 'secret', value: 's1' });
    const cc = await kc.form('/realms/cdm/protocol/openid-connect/token', { grant_type: 'client_credentials' }, { authorization: basic('rotating', 's1') });
    expect(((await cc.json()) as { expires_in: number }).expires_in).toBe(42);
    res = await kc.api('POST', `${A}/clients/${id}/client-secret`, token);
    const fresh = (await res.json()) as { type: string; value: string };
    expect(fresh.type).toBe('secret');
    expect(fresh.value).not.toBe('s1');
    expect((await kc.form('/realms/cdm/protocol/openid-connect/token', { grant_type: 'client_credentials' }, { authorization: basic('rotating', 's1') })).status).toBe(401);
    expect((await kc.form('/realms/cdm/protocol/openid-connect/token', { grant_type: 'client_credentials' }, { authorization: basic('rotating', fresh.value) })).status).toBe(200);

    res = await kc.api('PUT', `${A}/clients/${id}`, token, { clientId: 'cdm-cli' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errorMessage: 'Client already exists' });

    expect((await kc.api('DELETE', `${A}/clients/${id}`, token)).status).toBe(204);
    res = await kc.api('GET', `${A}/clients/${id}`, token);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Could not find client' });
    expect((await kc.api('DELETE', `${A}/clients/${id}`, token)).status).toBe(404);
  });

  it('creates and lists client roles', async () => {
    await admin();
    const id = idFromLocation(await kc.api('POST', `${A}/clients`, token, { clientId: 'with-roles' }));
    const res = await kc.api('POST', `${A}/clients/${id}/roles`, token, { name: 'reader' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${kc.base}${A}/clients/${id}/roles/reader`);
    const dup = await kc.api('POST', `${A}/clients/${id}/roles`, token, { name: 'reader' });
    expect(await dup.json()).toEqual({ errorMessage: 'Role with name reader already exists' });
    const roles = (await (await kc.api('GET', `${A}/clients/${id}/roles`, token)).json()) as Array<{ name: string; clientRole: boolean }>;
    expect(roles).toEqual([expect.objectContaining({ name: 'reader', clientRole: true, containerId: id })]);
  });
});

describe('users', () => {
  it('creates users (201 + Location) and refuses duplicates and invalid input with the exact bodies', async () => {
    await admin();
    const res = await kc.api('POST', `${A}/users`, token, {
      username: 'Carol', email: 'carol@example.com', firstName: 'Carol', enabled: true,
      credentials: [{ type: 'password', value: 'carol-pw', temporary: false }],
    });
    expect(res.status).toBe(201);
    const id = idFromLocation(res);
    expect(res.headers.get('location')).toBe(`${kc.base}${A}/users/${id}`);
    const rep = (await (await kc.api('GET', `${A}/users/${id}`, token)).json()) as Record<string, unknown>;
    expect(rep).toMatchObject({ id, username: 'carol', email: 'carol@example.com', firstName: 'Carol', enabled: true, requiredActions: [] });
    expect(rep).not.toHaveProperty('credentials');
    await kc.login('cdm', 'cdm-cli', 'carol', 'carol-pw');
    await kc.login('cdm', 'cdm-cli', 'carol@example.com', 'carol-pw'); // login with email

    // Without `enabled` a new user is disabled (UserEntity's default) and cannot log in.
    const quiet = idFromLocation(await kc.api('POST', `${A}/users`, token, { username: 'frank', credentials: [{ type: 'password', value: 'frank-pw' }] }));
    expect(((await (await kc.api('GET', `${A}/users/${quiet}`, token)).json()) as { enabled: boolean }).enabled).toBe(false);
    const refused = await kc.form(`/realms/cdm/protocol/openid-connect/token`, { grant_type: 'password', client_id: 'cdm-cli', username: 'frank', password: 'frank-pw' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_grant', error_description: 'Account disabled' });

    let r = await kc.api('POST', `${A}/users`, token, { username: 'carol' });
    expect(r.status).toBe(409);
    expect(await r.json()).toEqual({ errorMessage: 'User exists with same username' });
    r = await kc.api('POST', `${A}/users`, token, { username: 'carol2', email: 'CAROL@example.com' });
    expect(r.status).toBe(409);
    expect(await r.json()).toEqual({ errorMessage: 'User exists with same email' });
    r = await kc.api('POST', `${A}/users`, token, { email: 'x@example.com' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ errorMessage: 'User name is missing' });
    r = await kc.api('POST', `${A}/users`, token, { username: 'dave', email: 'not-an-email' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ field: 'email', errorMessage: 'invalidEmailMessage', params: ['email', 'not-an-email'] });
  });

  it('searches (search/username/exact/email/q), counts and pages; service accounts stay hidden', async () => {
    await admin();
    for (const u of ['dev-1', 'dev-2', 'dev-3', 'xdev']) await kc.api('POST', `${A}/users`, token, { username: u, attributes: { site: [u === 'dev-2' ? 'berlin' : 'paris'] } });
    const names = async (q: string): Promise<string[]> =>
      ((await (await kc.api('GET', `${A}/users?${q}`, token)).json()) as Array<{ username: string }>).map((u) => u.username);
    expect(await names('search=dev')).toEqual(['dev-1', 'dev-2', 'dev-3']);
    expect(await names('search=*dev*')).toEqual(['dev-1', 'dev-2', 'dev-3', 'xdev']);
    expect(await names('search=%22dev-1%22')).toEqual(['dev-1']);
    expect(await names('username=dev')).toEqual(['dev-1', 'dev-2', 'dev-3', 'xdev']);
    expect(await names('username=dev-1&exact=true')).toEqual(['dev-1']);
    expect(await names('username=dev&exact=true')).toEqual([]);
    expect(await names('q=site:berlin')).toEqual(['dev-2']);
    expect(await names('search=dev&first=1&max=1')).toEqual(['dev-2']);
    expect(await names('username=service-account')).toEqual([]);
    const count = await kc.api('GET', `${A}/users/count?search=dev`, token);
    expect(await count.json()).toBe(3);
  });

  it('updates, disables, resets passwords (temporary → not fully set up) and deletes', async () => {
    await admin();
    const id = idFromLocation(await kc.api('POST', `${A}/users`, token, { username: 'erin', enabled: true, credentials: [{ type: 'password', value: 'erin-pw' }] }));
    let res = await kc.api('PUT', `${A}/users/${id}`, token, { firstName: 'Erin', lastName: 'E', attributes: { tenant: ['cdm'] } });
    expect(res.status).toBe(204);
    expect(await (await kc.api('GET', `${A}/users/${id}`, token)).json()).toMatchObject({ firstName: 'Erin', lastName: 'E', attributes: { tenant: ['cdm'] } });
    res = await kc.api('PUT', `${A}/users/${id}`, token, { username: 'alice' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errorMessage: 'User exists with same username or email' });

    res = await kc.api('PUT', `${A}/users/${id}/reset-password`, token, { type: 'password', value: 'new-pw', temporary: true });
    expect(res.status).toBe(204);
    let grant = await kc.form('/realms/cdm/protocol/openid-connect/token', { grant_type: 'password', client_id: 'cdm-cli', username: 'erin', password: 'new-pw' });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toEqual({ error: 'invalid_grant', error_description: 'Account is not fully set up' });
    await kc.api('PUT', `${A}/users/${id}/reset-password`, token, { type: 'password', value: 'final-pw', temporary: false });
    await kc.login('cdm', 'cdm-cli', 'erin', 'final-pw');
    res = await kc.api('PUT', `${A}/users/${id}/reset-password`, token, { type: 'password' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'No password provided' });
    res = await kc.api('PUT', `${A}/users/${id}/reset-password`, token, { type: 'password', value: '' });
    expect(await res.json()).toEqual({ error: 'Empty password not allowed' });

    await kc.api('PUT', `${A}/users/${id}`, token, { enabled: false });
    grant = await kc.form('/realms/cdm/protocol/openid-connect/token', { grant_type: 'password', client_id: 'cdm-cli', username: 'erin', password: 'final-pw' });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toEqual({ error: 'invalid_grant', error_description: 'Account disabled' });

    expect((await kc.api('DELETE', `${A}/users/${id}`, token)).status).toBe(204);
    res = await kc.api('GET', `${A}/users/${id}`, token);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'User not found' });
  });
});

describe('roles and role mappings', () => {
  it('creates realm roles (201 + Location, 409) and gets them by name', async () => {
    await admin();
    const res = await kc.api('POST', `${A}/roles`, token, { name: 'fleet-auditor', description: 'reads audit' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${kc.base}${A}/roles/fleet-auditor`);
    const dup = await kc.api('POST', `${A}/roles`, token, { name: 'fleet-auditor' });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toEqual({ errorMessage: 'Role with name fleet-auditor already exists' });
    const role = (await (await kc.api('GET', `${A}/roles/fleet-auditor`, token)).json()) as Record<string, unknown>;
    expect(role).toMatchObject({ name: 'fleet-auditor', description: 'reads audit', composite: false, clientRole: false });
    const missing = await kc.api('GET', `${A}/roles/nope`, token);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Could not find role' });
    const names = ((await (await kc.api('GET', `${A}/roles`, token)).json()) as Array<{ name: string }>).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['cdm-admin', 'cdm-operator', 'cdm-viewer', 'platform-admin', 'fleet-auditor', 'default-roles-cdm']));
  });

  it('maps and unmaps realm roles; the next token carries them', async () => {
    await admin();
    const bob = ((await (await kc.api('GET', `${A}/users?username=bob&exact=true`, token)).json()) as Array<{ id: string }>)[0]!;
    const role = (await (await kc.api('GET', `${A}/roles/cdm-operator`, token)).json()) as { id: string; name: string };
    const path = `${A}/users/${bob.id}/role-mappings/realm`;
    let res = await kc.api('POST', path, token, [{ id: role.id, name: role.name }]);
    expect(res.status).toBe(204);
    let mapped = ((await (await kc.api('GET', path, token)).json()) as Array<{ name: string }>).map((r) => r.name);
    expect(mapped).toEqual(expect.arrayContaining(['cdm-operator', 'cdm-viewer']));
    const t = await kc.login('cdm', 'cdm-cli', 'bob', 'bob-pw');
    expect((claimsOf(t.access_token)['realm_access'] as { roles: string[] }).roles).toContain('cdm-operator');

    res = await kc.api('POST', path, token, [{ name: 'cdm-operator' }]);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Role not found' });
    res = await kc.api('POST', path, token, [{ id: role.id, name: 'no-such-role' }]);
    expect(res.status).toBe(404);

    res = await kc.api('DELETE', path, token, [{ id: role.id, name: role.name }]);
    expect(res.status).toBe(204);
    mapped = ((await (await kc.api('GET', path, token)).json()) as Array<{ name: string }>).map((r) => r.name);
    expect(mapped).not.toContain('cdm-operator');
    const all = (await (await kc.api('GET', `${A}/users/${bob.id}/role-mappings`, token)).json()) as { realmMappings: Array<{ name: string }> };
    expect(all.realmMappings.map((r) => r.name)).toContain('cdm-viewer');
  });

  it('maps realm-management client roles, which grant admin API rights', async () => {
    await admin();
    const bob = ((await (await kc.api('GET', `${A}/users?username=bob&exact=true`, token)).json()) as Array<{ id: string }>)[0]!;
    const bobToken = (await kc.login('cdm', 'cdm-cli', 'bob', 'bob-pw')).access_token;
    expect((await kc.api('GET', `${A}/clients`, bobToken)).status).toBe(403);
    const mgmt = ((await (await kc.api('GET', `${A}/clients?clientId=realm-management`, token)).json()) as Array<{ id: string }>)[0]!;
    const viewClients = (await (await kc.api('GET', `${A}/clients/${mgmt.id}/roles/view-clients`, token)).json()) as { id: string; name: string };
    const res = await kc.api('POST', `${A}/users/${bob.id}/role-mappings/clients/${mgmt.id}`, token, [viewClients]);
    expect(res.status).toBe(204);
    // Rights follow the user's current mappings, so even the older token now passes.
    expect((await kc.api('GET', `${A}/clients`, bobToken)).status).toBe(200);
    expect((await kc.api('POST', `${A}/clients`, bobToken, { clientId: 'nope' })).status).toBe(403);
  });
});

describe('identity providers', () => {
  const I = '/admin/realms/acme/identity-provider/instances';
  const rep = {
    alias: 'cdm-provider', displayName: 'CDM Platform (Provider)', providerId: 'oidc', enabled: true, trustEmail: true, storeToken: false,
    config: { clientId: 'cdm-federation-acme', clientSecret: 'fed-secret', metadataDescriptorUrl: 'http://provider/realms/cdm/.well-known/openid-configuration', useJwksUrl: 'true', syncMode: 'FORCE', defaultScope: 'openid profile email roles' },
  };

  it('creates (201, Location by alias), masks the secret, refuses duplicates, updates and deletes', async () => {
    await admin();
    let res = await kc.api('POST', I, token, rep);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${kc.base}${I}/cdm-provider`);
    res = await kc.api('POST', I, token, rep);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errorMessage: 'Identity Provider cdm-provider already exists' });

    const got = (await (await kc.api('GET', `${I}/cdm-provider`, token)).json()) as { internalId: string; config: Record<string, string> } & Record<string, unknown>;
    expect(got).toMatchObject({ alias: 'cdm-provider', providerId: 'oidc', trustEmail: true, firstBrokerLoginFlowAlias: 'first broker login' });
    expect(got.config['clientSecret']).toBe('**********');
    expect(typeof got.internalId).toBe('string');
    const list = (await (await kc.api('GET', I, token)).json()) as Array<{ alias: string }>;
    expect(list.map((i) => i.alias)).toEqual(['cdm-provider']);

    res = await kc.api('PUT', `${I}/cdm-provider`, token, { ...got, displayName: 'Provider' });
    expect(res.status).toBe(204);
    expect(await (await kc.api('GET', `${I}/cdm-provider`, token)).json()).toMatchObject({ displayName: 'Provider' });

    const mapper = await kc.api('POST', `${I}/cdm-provider/mappers`, token, {
      name: 'platform-admin', identityProviderAlias: 'cdm-provider', identityProviderMapper: 'oidc-role-idp-mapper',
      config: { syncMode: 'INHERIT', claim: 'realm_access.roles', 'claim.value': 'platform-admin', role: 'cdm-admin' },
    });
    expect(mapper.status).toBe(201);
    const mappers = (await (await kc.api('GET', `${I}/cdm-provider/mappers`, token)).json()) as Array<{ id: string; name: string }>;
    expect(mappers.map((m) => m.id)).toEqual([idFromLocation(mapper)]);

    expect((await kc.api('DELETE', `${I}/cdm-provider`, token)).status).toBe(204);
    res = await kc.api('GET', `${I}/cdm-provider`, token);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Could not find identity provider' });
  });

  it('needs identity-provider rights', async () => {
    const alice = (await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw')).access_token;
    expect((await kc.api('GET', '/admin/realms/cdm/identity-provider/instances', alice)).status).toBe(403);
    expect((await kc.api('POST', '/admin/realms/cdm/identity-provider/import-config', alice, { providerId: 'oidc', fromUrl: 'http://x' })).status).toBe(403);
  });

  it('import-config fetches a discovery document and answers the endpoints under the IdP config keys', async () => {
    await admin();
    const IMPORT = '/admin/realms/acme/identity-provider/import-config';
    const from = `${kc.base}/realms/cdm/.well-known/openid-configuration`;
    const doc = (await (await fetch(from)).json()) as Record<string, string>;
    const res = await kc.api('POST', IMPORT, token, { providerId: 'oidc', fromUrl: from });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      issuer: doc['issuer'], authorizationUrl: doc['authorization_endpoint'], tokenUrl: doc['token_endpoint'], userInfoUrl: doc['userinfo_endpoint'],
      logoutUrl: doc['end_session_endpoint'], jwksUrl: doc['jwks_uri'], tokenIntrospectionUrl: doc['introspection_endpoint'],
      validateSignature: 'true', useJwksUrl: 'true', metadataDescriptorUrl: from,
    });
    expect((await kc.api('POST', IMPORT, token, { providerId: 'saml-ish', fromUrl: from })).status).toBe(400);
    expect((await kc.api('POST', IMPORT, token, { providerId: 'oidc', fromUrl: 'http://127.0.0.1:9/nothing' })).status).toBe(500);
  });
});
