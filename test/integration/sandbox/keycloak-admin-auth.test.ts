// Admin REST authentication and authorization (401 vs 403 vs 404), and the realm resource itself.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, claimsOf, startKeycloak, type KcHarness } from '../../helpers/keycloak-harness.js';
import { tempDir } from '../../helpers/temp.js';

let kc: KcHarness;
let dir: string;
beforeAll(async () => {
  dir = tempDir('kc-admin-');
  kc = await startKeycloak({ stateFile: join(dir, 'keycloak.json') });
});
afterAll(async () => { await kc.close(); rmSync(dir, { recursive: true, force: true }); });

const UNAUTHORIZED = { error: 'HTTP 401 Unauthorized' };
const FORBIDDEN = { error: 'HTTP 403 Forbidden' };

async function ciToken(): Promise<string> {
  const res = await kc.form('/realms/cdm/protocol/openid-connect/token', { grant_type: 'client_credentials' }, { authorization: basic('ci-bot', 'ci-secret') });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('authentication', () => {
  it('answers 401 for a missing, malformed or forged bearer token', async () => {
    for (const token of [undefined, 'garbage', `${(await kc.adminToken()).slice(0, -6)}AAAAAA`]) {
      const res = await kc.api('GET', '/admin/realms/cdm/users', token);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(UNAUTHORIZED);
    }
    const res = await fetch(`${kc.base}/admin/realms`, { headers: { authorization: 'Basic YWRtaW46YWRtaW4tcHc=' } });
    expect(res.status).toBe(401);
  });

  it('answers 401 once the 60 s master token has expired', async () => {
    const token = await kc.adminToken();
    expect((await kc.api('GET', '/admin/realms/cdm', token)).status).toBe(200);
    kc.clock.advance(61);
    const res = await kc.api('GET', '/admin/realms/cdm', token);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(UNAUTHORIZED);
  });

  it('answers 401 for a token whose issuer is another public URL, although the key is the same', async () => {
    // Same state (same keys), different hostname: Keycloak refuses "Invalid token issuer".
    const other = await startKeycloak({ stateFile: join(dir, 'keycloak.json'), publicUrl: 'https://kc.example.com' });
    try {
      const res = await other.form('/realms/cdm/protocol/openid-connect/token', { grant_type: 'client_credentials' }, { authorization: basic('ci-bot', 'ci-secret') });
      const foreign = ((await res.json()) as { access_token: string }).access_token;
      expect(claimsOf(foreign)['iss']).toBe('https://kc.example.com/realms/cdm');
      expect((await other.api('GET', '/admin/realms/cdm/users', foreign)).status).toBe(200);
      const refused = await kc.api('GET', '/admin/realms/cdm/users', foreign);
      expect(refused.status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('authenticates before resolving anything: unknown paths without a token are 401', async () => {
    expect((await kc.api('GET', '/admin/realms/cdm/no-such-thing')).status).toBe(401);
    const res = await kc.api('GET', '/admin/realms/cdm/no-such-thing', await kc.adminToken());
    expect(res.status).toBe(404);
  });
});

describe('authorization', () => {
  it('lets master admin manage every realm', async () => {
    const token = await kc.adminToken();
    for (const realm of ['master', 'cdm', 'acme']) expect((await kc.api('GET', `/admin/realms/${realm}/users`, token)).status).toBe(200);
    const res = await kc.api('GET', '/admin/realms', token);
    expect(((await res.json()) as Array<{ realm: string }>).map((r) => r.realm)).toEqual(['master', 'cdm', 'acme']);
  });

  it('refuses a realm token on another realm with 403', async () => {
    const alice = (await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw')).access_token;
    for (const path of ['/admin/realms/master/users', '/admin/realms/acme/users', '/admin/realms/master']) {
      const res = await kc.api('GET', path, alice);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual(FORBIDDEN);
    }
  });

  it('refuses a realm user without realm-management roles on its own realm with 403', async () => {
    const alice = (await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw')).access_token;
    expect((await kc.api('GET', '/admin/realms/cdm/users', alice)).status).toBe(403);
    const res = await kc.api('GET', '/admin/realms', alice);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(FORBIDDEN);
  });

  it('lets a realm-admin manage only its own realm', async () => {
    const t = (await kc.login('acme', 'cdm-cli', 'tadmin', 'tadmin-pw')).access_token;
    expect((await kc.api('GET', '/admin/realms/acme/users', t)).status).toBe(200);
    const created = await kc.api('POST', '/admin/realms/acme/users', t, { username: 'someone' });
    expect(created.status).toBe(201);
    expect((await kc.api('GET', '/admin/realms/cdm/users', t)).status).toBe(403);
    const list = await kc.api('GET', '/admin/realms', t);
    expect(((await list.json()) as Array<{ realm: string }>).map((r) => r.realm)).toEqual(['acme']);
    const res = await kc.api('POST', '/admin/realms', t, { realm: 'sneaky', enabled: true });
    expect(res.status).toBe(403);
  });

  it('grants exactly the service account\'s fine-grained roles (view-users: read yes, write no)', async () => {
    const t = await ciToken();
    expect((await kc.api('GET', '/admin/realms/cdm/users', t)).status).toBe(200);
    expect((await kc.api('GET', '/admin/realms/cdm/users/count', t)).status).toBe(200);
    expect((await kc.api('POST', '/admin/realms/cdm/users', t, { username: 'x' })).status).toBe(403);
    expect((await kc.api('GET', '/admin/realms/cdm/clients', t)).status).toBe(403);
    expect((await kc.api('GET', '/admin/realms/cdm/events', t)).status).toBe(403);
  });

  it('answers an unknown realm with 404 before any cross-realm check', async () => {
    let res = await kc.api('GET', '/admin/realms/nope/users', await kc.adminToken());
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Realm not found.' });
    res = await kc.api('GET', '/admin/realms/nope', (await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw')).access_token);
    expect(res.status).toBe(404);
  });
});

describe('realms', () => {
  it('creates a realm (201 + Location), disabled unless asked, and refuses a duplicate with 409', async () => {
    const token = await kc.adminToken();
    let res = await kc.api('POST', '/admin/realms', token, { realm: 'plain' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${kc.base}/admin/realms/plain`);
    const rep = (await (await kc.api('GET', '/admin/realms/plain', token)).json()) as Record<string, unknown>;
    expect(rep).toMatchObject({ realm: 'plain', enabled: false, accessTokenLifespan: 300, eventsEnabled: false });
    res = await kc.form('/realms/plain/protocol/openid-connect/token', { grant_type: 'password', client_id: 'admin-cli', username: 'x', password: 'y' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'Realm not enabled' });

    res = await kc.api('POST', '/admin/realms', token, { realm: 'plain', enabled: true });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errorMessage: 'Conflict detected. See logs for details' });
  });

  it('imports the content embedded in a realm representation', async () => {
    const token = await kc.adminToken();
    const res = await kc.api('POST', '/admin/realms', token, {
      realm: 'globex', enabled: true, displayName: 'Globex', accessTokenLifespan: 120,
      roles: { realm: [{ name: 'cdm-admin' }, { name: 'cdm-viewer' }] },
      clients: [{ clientId: 'portal', secret: 'portal-secret', directAccessGrantsEnabled: true, publicClient: false }],
      users: [{ username: 'gadmin', enabled: true, credentials: [{ type: 'password', value: 'g-pw', temporary: false }], realmRoles: ['cdm-admin'] }],
      identityProviders: [{ alias: 'cdm-provider', providerId: 'oidc', config: { clientId: 'x', clientSecret: 'y' } }],
    });
    expect(res.status).toBe(201);
    const t = await kc.login('globex', 'portal', 'gadmin', 'g-pw', { client_secret: 'portal-secret' });
    expect(t.expires_in).toBe(120);
    expect((claimsOf(t.access_token)['realm_access'] as { roles: string[] }).roles).toContain('cdm-admin');
    // The new realm gets its management client in master, so a fresh master token carries it.
    expect(claimsOf(await kc.adminToken())['aud']).toContain('globex-realm');
  });

  it('updates, renames and deletes a realm', async () => {
    const token = await kc.adminToken();
    await kc.api('POST', '/admin/realms', token, { realm: 'temp', enabled: true });
    let res = await kc.api('PUT', '/admin/realms/temp', token, { displayName: 'Temporary', ssoSessionIdleTimeout: 600, brandNewSetting: 'kept' });
    expect(res.status).toBe(204);
    const rep = (await (await kc.api('GET', '/admin/realms/temp', token)).json()) as Record<string, unknown>;
    expect(rep).toMatchObject({ displayName: 'Temporary', ssoSessionIdleTimeout: 600, brandNewSetting: 'kept' });

    res = await kc.api('PUT', '/admin/realms/temp', token, { realm: 'cdm' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errorMessage: 'Realm with same name exists' });
    expect((await kc.api('PUT', '/admin/realms/temp', token, { realm: 'temp2' })).status).toBe(204);
    expect((await kc.api('GET', '/admin/realms/temp', token)).status).toBe(404);
    expect((await fetch(`${kc.base}/realms/temp2`)).status).toBe(200);

    expect((await kc.api('DELETE', '/admin/realms/temp2', token)).status).toBe(204);
    res = await kc.api('GET', '/admin/realms/temp2', token);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Realm not found.' });
    expect((await fetch(`${kc.base}/realms/temp2/.well-known/openid-configuration`)).status).toBe(404);
    expect(claimsOf(await kc.adminToken())['aud']).not.toContain('temp2-realm');
  });

  it('refuses malformed JSON and non-JSON bodies', async () => {
    const token = await kc.adminToken();
    let res = await kc.api('POST', '/admin/realms', token, '{"realm": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unknown_error', error_description: 'Cannot parse the JSON' });
    res = await fetch(`${kc.base}/admin/realms`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: '{"realm":"x"}' });
    expect(res.status).toBe(415);
  });

  it('grants the creator of a realm its management roles when it is not master admin', async () => {
    const token = await kc.adminToken();
    const res = await kc.api('POST', '/admin/realms/master/users', token, { username: 'creator', enabled: true, credentials: [{ type: 'password', value: 'c-pw' }] });
    const id = res.headers.get('location')!.split('/').pop()!;
    const role = (await (await kc.api('GET', '/admin/realms/master/roles/create-realm', token)).json()) as { id: string; name: string };
    expect((await kc.api('POST', `/admin/realms/master/users/${id}/role-mappings/realm`, token, [role])).status).toBe(204);
    const creator = (await kc.login('master', 'admin-cli', 'creator', 'c-pw')).access_token;
    expect((await kc.api('GET', '/admin/realms/cdm', creator)).status).toBe(403);
    expect((await kc.api('POST', '/admin/realms', creator, { realm: 'mine', enabled: true })).status).toBe(201);
    expect((await kc.api('GET', '/admin/realms/mine/users', creator)).status).toBe(200);
    expect(((await (await kc.api('GET', '/admin/realms', creator)).json()) as Array<{ realm: string }>).map((r) => r.realm)).toEqual(['mine']);
  });
});
