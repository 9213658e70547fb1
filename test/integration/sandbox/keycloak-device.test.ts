// Device authorization grant: the auth/device endpoint, every polling answer, the verification page
// (driven as a browser would, by form POST) and the host-side approval helper.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, claimsOf, startKeycloak, type KcHarness } from '../../helpers/keycloak-harness.js';

let kc: KcHarness;
beforeAll(async () => { kc = await startKeycloak(); });
afterAll(async () => { await kc.close(); });

const P = '/realms/cdm/protocol/openid-connect';
const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

interface DeviceAuth { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; expires_in: number; interval: number }

async function start(clientId = 'cdm-cli'): Promise<DeviceAuth> {
  const res = await kc.form(`${P}/auth/device`, { client_id: clientId, scope: 'openid' });
  expect(res.status).toBe(200);
  return (await res.json()) as DeviceAuth;
}
const poll = (deviceCode: string, clientId = 'cdm-cli'): Promise<Response> =>
  kc.form(`${P}/token`, { grant_type: DEVICE, client_id: clientId, device_code: deviceCode });
const verify = (fields: Record<string, string>): Promise<Response> => kc.form('/realms/cdm/device', fields);

describe('device authorization endpoint', () => {
  it('returns codes, verification URIs, lifespan and interval', async () => {
    const d = await start();
    expect(d.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(d.verification_uri).toBe(`${kc.base}/realms/cdm/device`);
    expect(d.verification_uri_complete).toBe(`${kc.base}/realms/cdm/device?user_code=${d.user_code}`);
    expect(d).toMatchObject({ expires_in: 600, interval: 5 });
    expect(d.device_code.length).toBeGreaterThan(20);
  });

  it('refuses unknown clients and clients without the flow', async () => {
    let res = await kc.form(`${P}/auth/device`, { client_id: 'ghost' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'Client not found.' });
    res = await kc.form(`${P}/auth/device`, { client_id: 'admin-cli' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Client is not allowed to initiate OAuth 2.0 Device Authorization Grant. The flow is disabled for the client.',
    });
    res = await kc.form(`${P}/auth/device`, {}, { authorization: basic('device-app', 'wrong') });
    expect(res.status).toBe(401);
  });

  it('accepts a confidential client authenticating with Basic', async () => {
    const res = await kc.form(`${P}/auth/device`, {}, { authorization: basic('device-app', 'dev-secret') });
    expect(res.status).toBe(200);
  });

  it('serves the verification page', async () => {
    const d = await start();
    const res = await fetch(d.verification_uri_complete);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain(`value="${d.user_code}"`);
  });
});

describe('polling', () => {
  it('goes pending → slow_down → approved → tokens, then refuses reuse', async () => {
    const d = await start();
    let res = await poll(d.device_code);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'authorization_pending', error_description: 'The authorization request is still pending' });

    res = await poll(d.device_code); // same instant: faster than the interval
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'slow_down', error_description: 'Slow down' });

    const page = await verify({ user_code: d.user_code.toLowerCase().replace('-', ''), username: 'alice', password: 'alice-pw' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Device Login Successful');

    kc.clock.advance(5);
    res = await poll(d.device_code);
    expect(res.status).toBe(200);
    const t = (await res.json()) as { access_token: string; refresh_token: string; id_token: string; scope: string };
    expect(claimsOf(t.access_token)).toMatchObject({ azp: 'cdm-cli', preferred_username: 'alice' });
    expect(t.refresh_token).toBeTruthy();
    expect(t.scope).toBe('openid profile email');
    expect(claimsOf(t.id_token)['typ']).toBe('ID');

    kc.clock.advance(5);
    res = await poll(d.device_code);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Device code not valid' });
  });

  it('answers access_denied when the user says no', async () => {
    const d = await start();
    const page = await verify({ user_code: d.user_code, username: 'bob', password: 'bob-pw', action: 'deny' });
    expect(page.status).toBe(200);
    const res = await poll(d.device_code);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'The end user denied the authorization request' });
  });

  it('keeps the code pending when the page gets bad credentials or a bad code', async () => {
    const d = await start();
    let page = await verify({ user_code: d.user_code, username: 'alice', password: 'wrong' });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('Invalid username or password.');
    page = await verify({ user_code: 'BBBB-BBBB', username: 'alice', password: 'alice-pw' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Invalid code');
    const res = await poll(d.device_code);
    expect(await res.json()).toMatchObject({ error: 'authorization_pending' });
  });

  it('expires the code: expired_token first, then invalid_grant once it is purged', async () => {
    const d = await start();
    kc.clock.advance(601);
    let res = await poll(d.device_code);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'expired_token', error_description: 'Device code is expired' });
    const page = await verify({ user_code: d.user_code, username: 'alice', password: 'alice-pw' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('expired');
    kc.clock.advance(5 + 10 + 1); // past expires_in + interval + 10 s
    res = await poll(d.device_code);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Device code not valid' });
  });

  it('binds the code to its client and needs the device_code parameter', async () => {
    const d = await start();
    let res = await kc.form(`${P}/token`, { grant_type: DEVICE, device_code: d.device_code }, { authorization: basic('device-app', 'dev-secret') });
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Device code not valid' });
    res = await kc.form(`${P}/token`, { grant_type: DEVICE, client_id: 'cdm-cli' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'Missing parameter: device_code' });
    res = await kc.form(`${P}/token`, { grant_type: DEVICE, client_id: 'web-app', client_secret: 'web-secret', device_code: d.device_code });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unauthorized_client' });
  });

  it('lets the sandbox host approve a code for a user', async () => {
    const d = await start();
    kc.emu.approveDeviceCode('cdm', d.user_code, 'bob');
    const res = await poll(d.device_code);
    expect(res.status).toBe(200);
    const t = (await res.json()) as { access_token: string };
    expect(claimsOf(t.access_token)['preferred_username']).toBe('bob');
    expect(() => kc.emu.approveDeviceCode('cdm', 'ZZZZ-ZZZZ', 'bob')).toThrow(/no pending device code/);
  });
});
