// State survives a restart on the same state file (keys, users, clients, sessions, events), the
// `/auth` relative path is honoured exclusively, and tenant realms are added on demand.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, claimsOf, DEFAULT_SEED, idFromLocation, startKeycloak, type KcHarness } from '../../helpers/keycloak-harness.js';
import { tempDir } from '../../helpers/temp.js';

let dir: string;
beforeAll(() => { dir = tempDir('kc-persist-'); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('persistence', () => {
  it('keeps keys, users, clients, sessions and events across a restart; old tokens still verify', async () => {
    const stateFile = join(dir, 'state', 'keycloak.json');
    const first = await startKeycloak({ stateFile, publicUrl: 'http://kc.local:18080' });
    let token: string, refresh: string, userId: string, clientUuid: string, secret: string, kid: string;
    try {
      token = await first.adminToken();
      userId = idFromLocation(await first.api('POST', '/admin/realms/cdm/users', token, { username: 'persisted', enabled: true, credentials: [{ type: 'password', value: 'p-pw' }] }));
      clientUuid = idFromLocation(await first.api('POST', '/admin/realms/cdm/clients', token, { clientId: 'persisted-ci', serviceAccountsEnabled: true }));
      secret = ((await (await first.api('GET', `/admin/realms/cdm/clients/${clientUuid}/client-secret`, token)).json()) as { value: string }).value;
      const login = await first.login('cdm', 'cdm-cli', 'persisted', 'p-pw', { scope: 'openid' });
      token = login.access_token;
      refresh = login.refresh_token!;
      kid = ((await (await fetch(`${first.base}/realms/cdm/protocol/openid-connect/certs`)).json()) as { keys: Array<{ kid: string; use: string }> }).keys.find((k) => k.use === 'sig')!.kid;
    } finally {
      await first.close();
    }

    const raw = readFileSync(stateFile, 'utf8');
    expect(raw).not.toContain('p-pw'); // passwords are stored hashed only
    expect(raw).not.toContain(DEFAULT_SEED.adminPassword);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    const second = await startKeycloak({ stateFile, publicUrl: 'http://kc.local:18080' });
    try {
      const jwks = (await (await fetch(`${second.base}/realms/cdm/protocol/openid-connect/certs`)).json()) as { keys: Array<{ kid: string; use: string }> };
      expect(jwks.keys.find((k) => k.use === 'sig')!.kid).toBe(kid);
      // The pre-restart access token still works (same key, same session), and so does its refresh token.
      const info = await fetch(`${second.base}/realms/cdm/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${token}` } });
      expect(info.status).toBe(200);
      expect(await info.json()).toMatchObject({ sub: userId, preferred_username: 'persisted' });
      const refreshed = await second.form('/realms/cdm/protocol/openid-connect/token', { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: refresh });
      expect(refreshed.status).toBe(200);
      await second.login('cdm', 'cdm-cli', 'persisted', 'p-pw');
      const cc = await second.form('/realms/cdm/protocol/openid-connect/token', { grant_type: 'client_credentials' }, { authorization: basic('persisted-ci', secret) });
      expect(cc.status).toBe(200);
      const admin = await second.adminToken();
      const evs = (await (await second.api('GET', `/admin/realms/cdm/events?user=${userId}&type=LOGIN`, admin)).json()) as unknown[];
      expect(evs.length).toBe(2);
      const adminEvs = (await (await second.api('GET', `/admin/realms/cdm/admin-events?resourcePath=users/${userId}`, admin)).json()) as unknown[];
      expect(adminEvs).toHaveLength(1);
      // Seed content is not re-added: the admin user and seeded clients exist exactly once.
      const cli = (await (await second.api('GET', '/admin/realms/cdm/clients?clientId=cdm-cli', admin)).json()) as unknown[];
      expect(cli).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('adds tenants named in a later seed without touching existing realms', async () => {
    const stateFile = join(dir, 'tenants.json');
    const a = await startKeycloak({ stateFile });
    const cdmKid = ((await (await fetch(`${a.base}/realms/cdm/protocol/openid-connect/certs`)).json()) as { keys: Array<{ kid: string }> }).keys[0]!.kid;
    await a.close();
    const b = await startKeycloak({ stateFile, seed: { ...DEFAULT_SEED, tenants: ['acme', 'initech'] } });
    try {
      expect((await fetch(`${b.base}/realms/initech`)).status).toBe(200);
      const again = ((await (await fetch(`${b.base}/realms/cdm/protocol/openid-connect/certs`)).json()) as { keys: Array<{ kid: string }> }).keys[0]!.kid;
      expect(again).toBe(cdmKid);
    } finally {
      await b.close();
    }
  });
});

describe('tenant realms', () => {
  let kc: KcHarness;
  beforeAll(async () => { kc = await startKeycloak(); });
  afterAll(async () => { await kc.close(); });

  it('names a tenant realm by the tenant id, with the cdm roles and the cdm-cli client', async () => {
    kc.emu.addTenantRealm('umbrella');
    kc.emu.addTenantRealm('umbrella'); // idempotent
    const token = await kc.adminToken();
    const roles = ((await (await kc.api('GET', '/admin/realms/umbrella/roles', token)).json()) as Array<{ name: string }>).map((r) => r.name);
    expect(roles).toEqual(expect.arrayContaining(['cdm-admin', 'cdm-operator', 'cdm-viewer']));
    const cli = ((await (await kc.api('GET', '/admin/realms/umbrella/clients?clientId=cdm-cli', token)).json()) as Array<{ publicClient: boolean; attributes: Record<string, string> }>)[0]!;
    expect(cli.publicClient).toBe(true);
    expect(cli.attributes['oauth2.device.authorization.grant.enabled']).toBe('true');
    const doc = (await (await fetch(`${kc.base}/realms/umbrella/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(doc.issuer).toBe(`${kc.url}/realms/umbrella`);
    expect(claimsOf(await kc.adminToken())['aud']).toContain('umbrella-realm');
  });
});

describe('relative path /auth', () => {
  let kc: KcHarness;
  beforeAll(async () => { kc = await startKeycloak({ relativePath: '/auth' }); });
  afterAll(async () => { await kc.close(); });

  it('serves only under /auth and mints issuers with it', async () => {
    expect(kc.base).toBe(`${kc.url}/auth`);
    const doc = (await (await fetch(`${kc.url}/auth/realms/cdm/.well-known/openid-configuration`)).json()) as { issuer: string; token_endpoint: string };
    expect(doc.issuer).toBe(`${kc.url}/auth/realms/cdm`);
    expect(doc.token_endpoint).toBe(`${kc.url}/auth/realms/cdm/protocol/openid-connect/token`);
    const bare = await fetch(`${kc.url}/realms/cdm/.well-known/openid-configuration`);
    expect(bare.status).toBe(404);
    const t = await kc.login('master', 'admin-cli', 'admin', 'admin-pw');
    expect(claimsOf(t.access_token)['iss']).toBe(`${kc.url}/auth/realms/master`);
    expect((await fetch(`${kc.url}/admin/realms`, { headers: { authorization: `Bearer ${t.access_token}` } })).status).toBe(404);
    const res = await kc.api('POST', '/admin/realms/cdm/users', t.access_token, { username: 'located' });
    expect(res.headers.get('location')).toMatch(new RegExp(`^${kc.url}/auth/admin/realms/cdm/users/[0-9a-f-]{36}$`));
  });

  it('answers the root-path layout with 404 when configured without /auth', async () => {
    const plain = await startKeycloak();
    try {
      const res = await fetch(`${plain.url}/auth/realms/cdm/.well-known/openid-configuration`);
      expect(res.status).toBe(404);
      const unknownPath = await fetch(`${plain.url}/realms/cdm/not-an-endpoint`);
      expect(unknownPath.status).toBe(404);
      expect(await unknownPath.json()).toEqual({ error: 'HTTP 404 Not Found' });
      const wrongMethod = await fetch(`${plain.url}/realms/cdm/protocol/openid-connect/token`);
      expect(wrongMethod.status).toBe(405);
    } finally {
      await plain.close();
    }
  });
});
