// Provider bridge, key-based JOIN: prepare → handshake against the real step-ca, RabbitMQ and
// Keycloak emulators; the key's single use, expiry and unknown keys; the tenant register.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPem, inspectCert, joinPayload, makeCsr, signedBy } from '../../helpers/bridge-csr.js';
import { startProviderWorld, type ProviderWorld } from '../../helpers/bridge-world.js';

let w: ProviderWorld;
let admin: string;
beforeAll(async () => {
  w = await startProviderWorld();
  admin = await w.token('cdm', 'alice');
});
afterAll(async () => { await w.close(); });

async function prepare(tenantId: string, displayName = `${tenantId} GmbH`): Promise<string> {
  const r = await w.bridge.call('POST', '/portal/admin/tenants/prepare', { token: admin, body: { tenant_id: tenantId, display_name: displayName } });
  expect(r.status).toBe(200);
  return r.body.join_key as string;
}

describe('bridge provider: prepare and key handshake', () => {
  it('prepare returns a single-use key with a 7-day expiry, shown once and stored only hashed', async () => {
    const before = Date.now();
    const r = await w.bridge.call('POST', '/portal/admin/tenants/prepare', { token: admin, body: { tenant_id: 'beta', display_name: 'Beta Industries Ltd' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tenant_id: 'beta', display_name: 'Beta Industries Ltd' });
    expect(r.body.join_key).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(r.body.hint).toContain(w.bridge.url);
    const ttl = Date.parse(r.body.expires_at) - before;
    expect(ttl).toBeGreaterThanOrEqual(168 * 3600_000);
    expect(ttl).toBeLessThan(168 * 3600_000 + 60_000);
    const { existsSync, readFileSync } = await import('node:fs');
    for (const f of [w.bridge.stateFile, `${w.bridge.stateFile}.log`]) if (existsSync(f)) expect(readFileSync(f, 'utf8')).not.toContain(r.body.join_key);
  });

  it('joins: Sub-CA signed by the provider CA (CA, pathlen 0), MQTT-bridge cert, RabbitMQ vhost+user, Keycloak federation client', async () => {
    const key = await prepare('acme', 'Acme Devices GmbH');
    const payload = await joinPayload('acme', 'Acme Devices GmbH');
    const r = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': ` ${key} ` }, body: payload });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      tenant_id: 'acme', status: 'joined', rabbitmq_url: w.mq.url, rabbitmq_vhost: 'acme', rabbitmq_user: 'acme-mqtt-bridge',
      cdm_idp_client_id: 'cdm-federation-acme', cdm_discovery_url: `${w.kc.base}/realms/cdm/.well-known/openid-configuration`,
    });
    // Sub-CA → root_ca_cert (the provider intermediate, step-ca's `ca`) → provider root.
    const sub = inspectCert(r.body.signed_cert);
    expect(sub.commonName).toBe('acme');
    expect(sub.isCA).toBe(true);
    expect(sub.pathLength).toBe(0);
    expect(sub.keyUsage).toEqual(expect.arrayContaining(['keyCertSign', 'cRLSign']));
    expect(await signedBy(r.body.signed_cert, r.body.root_ca_cert)).toBe(true);
    expect(await signedBy(r.body.root_ca_cert, w.ca.rootPem)).toBe(true);
    expect(inspectCert(r.body.root_ca_cert).isCA).toBe(true);
    // MQTT-bridge client certificate from the provider's iot-bridge provisioner (service-leaf).
    const mqtt = inspectCert(r.body.mqtt_bridge_cert);
    expect(mqtt.commonName).toBe('acme-mqtt-bridge');
    expect(mqtt.sans).toEqual([{ type: 'dns', value: 'acme-mqtt-bridge' }]);
    expect(await signedBy(r.body.mqtt_bridge_cert, firstPem(r.body.root_ca_cert))).toBe(true);

    expect((await w.mqGet('/api/vhosts/acme')).body).toMatchObject({ name: 'acme', description: 'Tenant vHost: acme' });
    const user = await w.mqGet('/api/users/acme-mqtt-bridge');
    expect(user.status).toBe(200);
    expect(user.body.password_hash).toBe('');
    expect((await w.mqGet('/api/permissions/acme/acme-mqtt-bridge')).body).toMatchObject({ configure: '.*', write: '.*', read: '.*' });

    const kcAdmin = await w.kc.adminToken();
    const clients = await (await w.kc.api('GET', '/admin/realms/cdm/clients?clientId=cdm-federation-acme', kcAdmin)).json() as Array<Record<string, any>>;
    expect(clients).toHaveLength(1);
    expect(clients[0]).toMatchObject({ publicClient: false, standardFlowEnabled: true, directAccessGrantsEnabled: false });
    expect(clients[0]!.redirectUris).toEqual(expect.arrayContaining(['https://acme.example/auth/realms/acme/broker/cdm-provider/endpoint']));
    const secret = await (await w.kc.api('GET', `/admin/realms/cdm/clients/${clients[0]!.id}/client-secret`, kcAdmin)).json() as { value: string };
    expect(secret.value).toBe(r.body.cdm_idp_client_secret);

    const list = await w.bridge.call('GET', '/portal/admin/tenants', { token: admin });
    expect(list.status).toBe(200);
    const acme = list.body.tenants.find((t: any) => t.tenant_id === 'acme');
    expect(acme).toMatchObject({ join_state: 'joined', join_method: 'key', sub_ca_serial: sub.serialDecimal, rabbitmq_vhost: 'acme', cdm_idp_client_id: 'cdm-federation-acme', provisioning_errors: {} });
  });

  it('a used key answers 401; rejoining with a new key returns the existing federation secret', async () => {
    const key = await prepare('gamma');
    const payload = await joinPayload('gamma', 'Gamma');
    const first = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: payload });
    expect(first.status).toBe(200);
    const again = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: payload });
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ detail: "JOIN key is 'used' – each key may only be used once." });

    const second = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': await prepare('gamma') }, body: payload });
    expect(second.status).toBe(200);
    expect(second.body.cdm_idp_client_secret).toBe(first.body.cdm_idp_client_secret);
    expect(inspectCert(second.body.signed_cert).serialDecimal).not.toBe(inspectCert(first.body.signed_cert).serialDecimal);
  });

  it('unknown and missing keys answer 401 with upstream texts', async () => {
    const payload = await joinPayload('delta', 'Delta');
    const unknown = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': 'AAAA-BBBB-CCCC-DDDD' }, body: payload });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ detail: 'Invalid JOIN key.' });
    const missing = await w.bridge.call('POST', '/portal/admin/join', { body: payload });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ detail: 'X-Join-Key header is required.' });
  });

  it('an expired key answers 401 "JOIN key has expired." and stays expired', async () => {
    const key = await prepare('epsilon');
    const payload = await joinPayload('epsilon', 'Epsilon');
    w.bridge.clock.offsetMs = 169 * 3600_000;
    try {
      const r = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: payload });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ detail: 'JOIN key has expired.' });
    } finally {
      w.bridge.clock.offsetMs = 0;
    }
    const later = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: payload });
    expect(later.body).toEqual({ detail: "JOIN key is 'expired' – each key may only be used once." });
  });

  it('bad bodies answer 422 in pydantic shape and do not burn the key', async () => {
    const key = await prepare('zeta');
    const missing = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: { wg_pubkey: 'x' } });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([{ type: 'missing', loc: ['body', 'sub_ca_csr'], msg: 'Field required', input: { wg_pubkey: 'x' } }]);
    const garbage = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: { sub_ca_csr: 'not a csr', wg_pubkey: 'x' } });
    expect(garbage.status).toBe(422);
    expect(garbage.body.detail).toMatch(/^Invalid CSR \(sub_ca_csr\): /);
    const ok = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: await joinPayload('zeta', 'Zeta') });
    expect(ok.status).toBe(200);
  });

  it('a Sub-CA CSR whose CN is not the tenant id (init-sub-ca.sh\'s "<display> Issuing CA") is refused by step-ca: 200, no Sub-CA, the key spent', async () => {
    const key = await prepare('iota', 'Iota');
    const r = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: await joinPayload('iota', 'Iota', 'Iota Issuing CA') });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'joined', signed_cert: '', root_ca_cert: '' });
    const list = await w.bridge.call('GET', '/portal/admin/tenants', { token: admin });
    expect(list.body.tenants.find((t: any) => t.tenant_id === 'iota').provisioning_errors.step_ca).toMatch(/HTTP 403.*common name/);
    expect((await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: await joinPayload('iota', 'Iota') })).status).toBe(401);
  });

  it('a step-ca refusal is reported as upstream does: 200 with an empty field, the key burnt, the failure in the register', async () => {
    const key = await prepare('eta');
    const payload = { ...(await joinPayload('eta', 'Eta')), mqtt_bridge_csr: (await makeCsr('not-eta-mqtt-bridge')).csr };
    const r = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': key }, body: payload });
    expect(r.status).toBe(200);
    expect(r.body.mqtt_bridge_cert).toBeNull();
    expect(r.body.signed_cert).toContain('BEGIN CERTIFICATE');
    const list = await w.bridge.call('GET', '/portal/admin/tenants', { token: admin });
    const eta = list.body.tenants.find((t: any) => t.tenant_id === 'eta');
    expect(eta.provisioning_errors.mqtt_bridge_cert).toMatch(/step-ca sign failed: HTTP 403/);
  });

  it('prepare validates the tenant id against the reference pattern (422)', async () => {
    const r = await w.bridge.call('POST', '/portal/admin/tenants/prepare', { token: admin, body: { tenant_id: 'Bad_Id', display_name: 'x' } });
    expect(r.status).toBe(422);
    expect(r.body.detail[0]).toMatchObject({ type: 'string_pattern_mismatch', loc: ['body', 'tenant_id'] });
  });

  it('prepared tenants are listed with their open key until they join', async () => {
    await prepare('theta');
    const list = await w.bridge.call('GET', '/portal/admin/tenants', { token: admin });
    expect(list.body.tenants.find((t: any) => t.tenant_id === 'theta')).toMatchObject({ join_state: 'prepared', open_join_keys: 1, sub_ca_serial: null });
  });
});
