// Events and admin events as they are recorded by real traffic and filtered by the admin API; sessions
// and logout-all (which makes refresh fail and moves the realm's not-before).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, claimsOf, idFromLocation, startKeycloak, type KcHarness } from '../../helpers/keycloak-harness.js';

let kc: KcHarness;
beforeAll(async () => { kc = await startKeycloak(); });
afterAll(async () => { await kc.close(); });

interface Ev { id: string; time: number; type: string; realmId: string; clientId?: string; userId?: string; sessionId?: string; ipAddress?: string; error?: string; details?: Record<string, string> }
interface AdminEv { id: string; time: number; realmId: string; authDetails: { realmId: string; clientId: string; userId: string; ipAddress: string }; operationType: string; resourceType: string; resourcePath: string; representation?: string }

const A = '/admin/realms/cdm';
const events = async (q = ''): Promise<Ev[]> => (await (await kc.api('GET', `${A}/events${q}`, await kc.adminToken())).json()) as Ev[];
const adminEvents = async (q = ''): Promise<AdminEv[]> => (await (await kc.api('GET', `${A}/admin-events${q}`, await kc.adminToken())).json()) as AdminEv[];
const tokenUrl = '/realms/cdm/protocol/openid-connect/token';

describe('login events', () => {
  it('records logins, failures, refreshes, client logins, device code-to-token and logouts', async () => {
    const realmId = ((await (await kc.api('GET', A, await kc.adminToken())).json()) as { id: string }).id;
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    await kc.form(tokenUrl, { grant_type: 'password', client_id: 'cdm-cli', username: 'alice', password: 'bad' });
    await kc.form(tokenUrl, { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: t.refresh_token! });
    await kc.form(tokenUrl, { grant_type: 'client_credentials' }, { authorization: basic('ci-bot', 'ci-secret') });
    await kc.form(tokenUrl, { grant_type: 'client_credentials' }, { authorization: basic('ci-bot', 'wrong') });
    const d = (await (await kc.form('/realms/cdm/protocol/openid-connect/auth/device', { client_id: 'cdm-cli' })).json()) as { device_code: string; user_code: string };
    kc.emu.approveDeviceCode('cdm', d.user_code, 'bob');
    await kc.form(tokenUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'cdm-cli', device_code: d.device_code });
    await kc.form('/realms/cdm/protocol/openid-connect/logout', { client_id: 'cdm-cli', refresh_token: t.refresh_token! });

    const all = await events();
    const types = all.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['LOGIN', 'LOGIN_ERROR', 'REFRESH_TOKEN', 'CLIENT_LOGIN', 'CLIENT_LOGIN_ERROR',
      'OAUTH2_DEVICE_AUTH', 'OAUTH2_DEVICE_CODE_TO_TOKEN', 'LOGOUT']));
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.time).toBeGreaterThanOrEqual(all[i]!.time); // newest first

    const alice = claimsOf(t.access_token)['sub'];
    const login = all.find((e) => e.type === 'LOGIN' && e.userId === alice)!;
    expect(login).toMatchObject({ realmId, clientId: 'cdm-cli', sessionId: t.session_state, ipAddress: '127.0.0.1', details: { grant_type: 'password', username: 'alice' } });
    expect(all.find((e) => e.type === 'LOGIN_ERROR')).toMatchObject({ error: 'invalid_user_credentials', userId: alice, clientId: 'cdm-cli' });
    expect(all.find((e) => e.type === 'CLIENT_LOGIN_ERROR')).toMatchObject({ error: 'invalid_client_credentials', clientId: 'ci-bot' });
    expect(all.find((e) => e.type === 'LOGOUT')).toMatchObject({ userId: alice, sessionId: t.session_state });
  });

  it('filters by type (repeatable), client, user, date and pages with first/max', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'bob', 'bob-pw');
    const bob = claimsOf(t.access_token)['sub'] as string;
    expect((await events('?type=LOGIN_ERROR')).every((e) => e.type === 'LOGIN_ERROR')).toBe(true);
    const two = await events('?type=LOGIN&type=LOGOUT');
    expect(new Set(two.map((e) => e.type))).toEqual(new Set(['LOGIN', 'LOGOUT']));
    expect((await events('?client=ci-bot')).every((e) => e.clientId === 'ci-bot')).toBe(true);
    const mine = await events(`?user=${bob}`);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.userId === bob)).toBe(true);

    const today = new Date(kc.clock.now).toISOString().slice(0, 10);
    const tomorrow = new Date(kc.clock.now + 86_400_000).toISOString().slice(0, 10);
    const total = (await events()).length;
    expect(await events(`?dateFrom=${today}&dateTo=${today}`)).toHaveLength(total);
    expect(await events(`?dateFrom=${tomorrow}`)).toHaveLength(0);
    expect(await events(`?dateTo=${kc.clock.now - 1}`)).toHaveLength(0); // epoch millis (26.2+)

    const page = await events('?first=1&max=2');
    expect(page).toHaveLength(2);
    expect(page.map((e) => e.id)).toEqual((await events()).slice(1, 3).map((e) => e.id));
    const asc = await events('?direction=asc');
    expect(asc[0]!.time).toBeLessThanOrEqual(asc[asc.length - 1]!.time);

    let res = await kc.api('GET', `${A}/events?dateFrom=31-12-2025`, await kc.adminToken());
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "Invalid value for 'Date(From)', expected format is yyyy-MM-dd" });
    res = await kc.api('GET', `${A}/events?type=NOT_A_TYPE`, await kc.adminToken());
    expect(res.status).toBe(400);
  });

  it('stores only enabled types and honours the events config', async () => {
    const token = await kc.adminToken();
    const cfg = (await (await kc.api('GET', `${A}/events/config`, token)).json()) as Record<string, unknown>;
    expect(cfg).toMatchObject({ eventsEnabled: true, adminEventsEnabled: true, adminEventsDetailsEnabled: true, eventsListeners: ['jboss-logging'] });
    const res = await kc.api('PUT', `${A}/events/config`, token, { ...cfg, enabledEventTypes: ['LOGIN_ERROR'] });
    expect(res.status).toBe(204);
    const before = (await events('?type=LOGIN')).length;
    await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    expect(await events('?type=LOGIN')).toHaveLength(before);
    await kc.api('PUT', `${A}/events/config`, await kc.adminToken(), { ...cfg });
    await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    expect(await events('?type=LOGIN')).toHaveLength(before + 1);
  });

  it('needs view-events', async () => {
    const alice = (await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw')).access_token;
    expect((await kc.api('GET', `${A}/events`, alice)).status).toBe(403);
    expect((await kc.api('GET', `${A}/admin-events`, alice)).status).toBe(403);
  });
});

describe('admin events', () => {
  it('records creates, updates, deletes and actions with a JSON-string representation', async () => {
    const token = await kc.adminToken();
    const admin = claimsOf(token);
    const userId = idFromLocation(await kc.api('POST', `${A}/users`, token, { username: 'frank', credentials: [{ type: 'password', value: 'secret-pw' }] }));
    await kc.api('PUT', `${A}/users/${userId}`, token, { firstName: 'Frank' });
    await kc.api('PUT', `${A}/users/${userId}/reset-password`, token, { type: 'password', value: 'x-pw', temporary: true });
    const clientId = idFromLocation(await kc.api('POST', `${A}/clients`, token, { clientId: 'audited', secret: 'audited-secret' }));
    await kc.api('DELETE', `${A}/clients/${clientId}`, token);

    const all = await adminEvents();
    const create = all.find((e) => e.operationType === 'CREATE' && e.resourcePath === `users/${userId}`)!;
    const master = (await (await kc.api('GET', '/admin/realms/master', token)).json()) as { id: string };
    const adminCli = ((await (await kc.api('GET', '/admin/realms/master/clients?clientId=admin-cli', token)).json()) as Array<{ id: string }>)[0]!;
    expect(create).toMatchObject({ resourceType: 'USER', authDetails: { realmId: master.id, clientId: adminCli.id, userId: admin['sub'], ipAddress: '127.0.0.1' } });
    const rep = JSON.parse(create.representation!) as { username: string; credentials: Array<{ value: string }> };
    expect(rep.username).toBe('frank');
    expect(rep.credentials[0]!.value).toBe('**********');
    expect(all.find((e) => e.resourcePath === `users/${userId}/reset-password`)).toMatchObject({ operationType: 'ACTION', representation: '{"type":"password","temporary":true}' });
    expect(all.find((e) => e.operationType === 'UPDATE' && e.resourcePath === `users/${userId}`)).toBeTruthy();
    const clientCreate = all.find((e) => e.operationType === 'CREATE' && e.resourceType === 'CLIENT')!;
    expect(JSON.parse(clientCreate.representation!)).toMatchObject({ clientId: 'audited', secret: '**********' });
    expect(all.find((e) => e.operationType === 'DELETE' && e.resourcePath === `clients/${clientId}`)).toBeTruthy();
  });

  it('filters by operationTypes, resourceTypes, resourcePath wildcard, authRealm/authClient/authUser, dates and pages', async () => {
    const token = await kc.adminToken();
    const ops = await adminEvents('?operationTypes=DELETE');
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.every((e) => e.operationType === 'DELETE')).toBe(true);
    expect(new Set((await adminEvents('?operationTypes=CREATE&operationTypes=ACTION')).map((e) => e.operationType))).toEqual(new Set(['CREATE', 'ACTION']));
    expect((await adminEvents('?resourceTypes=CLIENT')).every((e) => e.resourceType === 'CLIENT')).toBe(true);
    const wild = await adminEvents('?resourcePath=users/*');
    expect(wild.length).toBeGreaterThan(0);
    expect(wild.every((e) => e.resourcePath.startsWith('users/'))).toBe(true);
    expect((await adminEvents('?resourcePath=*/reset-password')).map((e) => e.operationType)).toEqual(['ACTION']);
    const sub = claimsOf(token)['sub'] as string;
    const master = (await (await kc.api('GET', '/admin/realms/master', token)).json()) as { id: string };
    expect((await adminEvents(`?authUser=${sub}`)).length).toBe((await adminEvents()).length);
    expect(await adminEvents('?authUser=someone-else')).toEqual([]);
    expect((await adminEvents(`?authRealm=${master.id}`)).length).toBe((await adminEvents()).length);
    const first = (await adminEvents())[0]!;
    expect((await adminEvents(`?authClient=${first.authDetails.clientId}`)).length).toBeGreaterThan(0);
    expect(await adminEvents(`?dateFrom=${new Date(kc.clock.now + 86_400_000).toISOString().slice(0, 10)}`)).toEqual([]);
    expect(await adminEvents('?max=1')).toHaveLength(1);
  });

  it('omits the representation when details are disabled, and records nothing when admin events are off', async () => {
    const token = await kc.adminToken();
    const cfg = (await (await kc.api('GET', `${A}/events/config`, token)).json()) as Record<string, unknown>;
    await kc.api('PUT', `${A}/events/config`, token, { ...cfg, adminEventsDetailsEnabled: false });
    await kc.api('POST', `${A}/roles`, token, { name: 'no-details' });
    const ev = (await adminEvents('?resourcePath=roles/no-details'))[0]!;
    expect(ev.resourceType).toBe('REALM_ROLE');
    expect(ev).not.toHaveProperty('representation');
    await kc.api('PUT', `${A}/events/config`, token, { ...cfg, adminEventsEnabled: false });
    await kc.api('POST', `${A}/roles`, token, { name: 'not-recorded' });
    expect(await adminEvents('?resourcePath=roles/not-recorded')).toEqual([]);
    await kc.api('PUT', `${A}/events/config`, token, cfg);
  });
});

describe('sessions', () => {
  it('lists sessions per user and client, deletes one, logs a user out', async () => {
    const token = await kc.adminToken();
    const t = await kc.login('cdm', 'cdm-cli', 'bob', 'bob-pw');
    const bob = claimsOf(t.access_token)['sub'] as string;
    const sessions = (await (await kc.api('GET', `${A}/users/${bob}/sessions`, token)).json()) as Array<Record<string, unknown>>;
    const s = sessions.find((x) => x['id'] === t.session_state)!;
    expect(s).toMatchObject({ username: 'bob', userId: bob, ipAddress: '127.0.0.1', rememberMe: false });
    expect(Object.values(s['clients'] as Record<string, string>)).toEqual(['cdm-cli']);
    const cli = ((await (await kc.api('GET', `${A}/clients?clientId=cdm-cli`, token)).json()) as Array<{ id: string }>)[0]!;
    const perClient = (await (await kc.api('GET', `${A}/clients/${cli.id}/user-sessions`, token)).json()) as Array<{ id: string }>;
    expect(perClient.map((x) => x.id)).toContain(t.session_state);
    const stats = (await (await kc.api('GET', `${A}/client-session-stats`, token)).json()) as Array<{ clientId: string; active: string }>;
    expect(stats.find((x) => x.clientId === 'cdm-cli')!.active).toMatch(/^\d+$/);

    expect((await kc.api('DELETE', `${A}/sessions/${t.session_state}`, token)).status).toBe(204);
    expect((await kc.api('DELETE', `${A}/sessions/${t.session_state}`, token)).status).toBe(404);
    const res = await kc.form(tokenUrl, { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: t.refresh_token! });
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Session not active' });

    const t2 = await kc.login('cdm', 'cdm-cli', 'bob', 'bob-pw');
    expect((await kc.api('POST', `${A}/users/${bob}/logout`, token)).status).toBe(204);
    expect((await kc.form(tokenUrl, { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: t2.refresh_token! })).status).toBe(400);
  });

  it('logout-all ends every session: refresh fails, older tokens are refused, newer ones work', async () => {
    const alice = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    const cc = (await (await kc.form(tokenUrl, { grant_type: 'client_credentials' }, { authorization: basic('ci-bot', 'ci-secret') })).json()) as { access_token: string };
    expect((await kc.api('GET', `${A}/users`, cc.access_token)).status).toBe(200);
    kc.clock.advance(1);
    const res = await kc.api('POST', `${A}/logout-all`, await kc.adminToken());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});

    const refresh = await kc.form(tokenUrl, { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: alice.refresh_token! });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
    // The session-less service-account token predates the realm's new not-before.
    expect((await kc.api('GET', `${A}/users`, cc.access_token)).status).toBe(401);
    const realm = (await (await kc.api('GET', A, await kc.adminToken())).json()) as { notBefore: number };
    expect(realm.notBefore).toBe(Math.floor(kc.clock.now / 1000));
    kc.clock.advance(1);
    const again = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    expect(again['not-before-policy']).toBe(realm.notBefore);
    expect((await kc.form(tokenUrl, { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: again.refresh_token! })).status).toBe(200);
    const logoutAllEvent = (await adminEvents('?resourcePath=logout-all'))[0]!;
    expect(logoutAllEvent).toMatchObject({ operationType: 'ACTION', resourceType: 'REALM' });
  });
});
