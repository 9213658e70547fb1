// Admin routes of the provider bridge need a verified Bearer token of the provider `cdm` realm
// with cdm-admin or platform-admin (commands.md §7; upstream checks nothing, §10.1). Also the
// tenant removal (DELETE /portal/admin/tenants/{id}) with upstream's semantics, and the audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinPayload } from '../../helpers/bridge-csr.js';
import { startProviderWorld, type ProviderWorld } from '../../helpers/bridge-world.js';

let w: ProviderWorld;
beforeAll(async () => { w = await startProviderWorld(); });
afterAll(async () => { await w.close(); });

const PREPARE = '/portal/admin/tenants/prepare';
const ADMIN_ROUTES: Array<[string, string, unknown]> = [
  ['POST', PREPARE, { tenant_id: 'acme', display_name: 'Acme' }],
  ['GET', '/portal/admin/join-requests', undefined],
  ['POST', '/portal/admin/tenants/acme/approve', {}],
  ['POST', '/portal/admin/tenants/acme/reject', {}],
  ['GET', '/portal/admin/tenants', undefined],
  ['DELETE', '/portal/admin/tenants/acme', undefined],
  ['GET', '/audit', undefined],
];

describe('bridge provider: admin authorisation', () => {
  it('answers 401 without a token and for a malformed one, on every admin route', async () => {
    for (const [method, path, body] of ADMIN_ROUTES) {
      expect(await w.bridge.call(method, path, { body }), `${method} ${path}`).toMatchObject({ status: 401, body: { detail: 'Authentication required' } });
      // prepare asks Keycloak's userinfo first, which refuses anything that is not a valid token of the realm.
      const malformed = path === PREPARE ? 'Invalid or expired token' : 'Malformed token';
      expect(await w.bridge.call(method, path, { body, token: 'not.a.jwt' }), `${method} ${path}`).toMatchObject({ status: 401, body: { detail: malformed } });
    }
  });

  it('prepare refuses, as Keycloak\'s userinfo does, a valid admin token without the openid scope', async () => {
    const kc = w.kc;
    const plain = (await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw')).access_token;
    const body = { tenant_id: 'scopeless', display_name: 'x' };
    expect(await w.bridge.call('POST', PREPARE, { body, token: plain })).toMatchObject({ status: 401, body: { detail: 'Invalid or expired token' } });
    expect((await w.bridge.call('GET', '/portal/admin/tenants', { token: plain })).status).toBe(200);
    expect((await w.bridge.call('POST', PREPARE, { body, token: await w.token('cdm', 'alice') })).status).toBe(200);
  });

  it('answers 403 for a token of another realm and for a cdm user without an admin role', async () => {
    const foreign = await w.token('acme', 'tadmin'); // cdm-admin, but of the tenant realm
    const viewer = await w.token('cdm', 'bob');
    for (const [method, path, body] of ADMIN_ROUTES) {
      expect(await w.bridge.call(method, path, { body, token: foreign }), `${method} ${path}`)
        .toMatchObject(path === PREPARE ? { status: 401, body: { detail: 'Invalid or expired token' } } : { status: 403, body: { detail: "Access denied – token was not issued by the 'cdm' realm" } });
      expect(await w.bridge.call(method, path, { body, token: viewer }), `${method} ${path}`)
        .toMatchObject({ status: 403, body: { detail: 'Access denied – cdm-admin or platform-admin role required' } });
    }
  });

  it('answers 401 for a forged signature and for an expired token', async () => {
    const good = await w.token('cdm', 'alice');
    const [h, p] = good.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, any>;
    claims.realm_access = { roles: ['platform-admin'] };
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${good.split('.')[2]}`;
    expect(await w.bridge.call('GET', '/portal/admin/tenants', { token: forged })).toMatchObject({ status: 401, body: { detail: 'Invalid or expired token' } });
    w.bridge.clock.offsetMs = 24 * 3600_000;
    try {
      expect(await w.bridge.call('GET', '/portal/admin/tenants', { token: good })).toMatchObject({ status: 401, body: { detail: 'Invalid or expired token' } });
    } finally {
      w.bridge.clock.offsetMs = 0;
    }
    expect((await w.bridge.call('GET', '/portal/admin/tenants', { token: good })).status).toBe(200);
  });

  it('keeps /health, the join handshake, join-request and join-status open, as upstream designed them', async () => {
    expect(await w.bridge.call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok', service: 'iot-bridge-api' } });
    expect((await w.bridge.call('GET', '/portal/admin/tenants/x/join-status')).status).toBe(404);
    expect(await w.bridge.call('GET', '/nope')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    expect(await w.bridge.call('PUT', '/health')).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } });
  });
});

describe('bridge provider: tenant removal and audit', () => {
  it('DELETE removes the Keycloak realm and RabbitMQ vhost, marks the tenant removed, refuses protected realms', async () => {
    const admin = await w.token('cdm', 'alice');
    const prep = await w.bridge.call('POST', '/portal/admin/tenants/prepare', { token: admin, body: { tenant_id: 'acme', display_name: 'Acme' } });
    expect((await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': prep.body.join_key }, body: await joinPayload('acme', 'Acme') })).status).toBe(200);
    const spare = await w.bridge.call('POST', '/portal/admin/tenants/prepare', { token: admin, body: { tenant_id: 'acme', display_name: 'Acme' } });
    expect((await w.mqGet('/api/vhosts/acme')).status).toBe(200);

    const del = await w.bridge.call('DELETE', '/portal/admin/tenants/acme', { token: admin });
    expect(del).toMatchObject({ status: 200, body: { realm_id: 'acme', results: { keycloak: 'deleted', rabbitmq: 'deleted' }, errors: {} } });
    expect((await w.mqGet('/api/vhosts/acme')).status).toBe(404);
    const kcAdmin = await w.kc.adminToken();
    expect((await w.kc.api('GET', '/admin/realms/acme', kcAdmin)).status).toBe(404);
    const list = await w.bridge.call('GET', '/portal/admin/tenants', { token: admin });
    expect(list.body.tenants.find((t: any) => t.tenant_id === 'acme')).toMatchObject({ join_state: 'removed', open_join_keys: 0 });
    // A key issued before the removal no longer admits the tenant.
    const late = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': spare.body.join_key }, body: await joinPayload('acme', 'Acme') });
    expect(late.status).toBe(401);

    expect(await w.bridge.call('DELETE', '/portal/admin/tenants/cdm', { token: admin })).toMatchObject({ status: 400, body: { error: "Cannot delete protected realm 'cdm'" } });
  });

  it('records prepare, join, refusals and removal in GET /audit, filtered by since/until', async () => {
    const admin = await w.token('cdm', 'alice');
    const start = new Date().toISOString();
    await w.bridge.call('POST', '/portal/admin/tenants/prepare', { token: admin, body: { tenant_id: 'papa', display_name: 'Papa' } });
    await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' }, body: await joinPayload('papa', 'Papa') });
    const all = await w.bridge.call('GET', `/audit?since=${encodeURIComponent(start)}`, { token: admin });
    expect(all.status).toBe(200);
    expect(all.body.events.map((e: any) => [e.action, e.outcome, e.actor, e.target])).toEqual([
      ['tenant.prepare', 'success', 'alice', 'papa'],
      ['tenant.join', 'denied', 'join-key', ''],
    ]);
    expect(all.body.events[1].details).toEqual({ reason: 'Invalid JOIN key.' });
    const earlier = await w.bridge.call('GET', `/audit?until=${encodeURIComponent(start)}`, { token: admin });
    expect(earlier.body.events.map((e: any) => e.action)).toEqual(expect.arrayContaining(['tenant.prepare', 'tenant.join', 'tenant.remove']));
    expect(earlier.body.events.every((e: any) => e.time <= start)).toBe(true);
    const bad = await w.bridge.call('GET', '/audit?since=yesterday', { token: admin });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['query', 'since']);
  });
});
