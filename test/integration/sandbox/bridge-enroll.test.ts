// Tenant bridge, enrollment: certificate from the tenant step-ca (iot-bridge, device-leaf),
// hawkBit target and ThingsBoard device with X.509 credentials, WireGuard addresses allocated in
// order and released on delete, re-enrollment, refusals, and the tenant-realm token rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../../helpers/hawkbit-harness.js';
import { inspectCert, makeCsr, signedBy } from '../../helpers/bridge-csr.js';
import { startTenantWorld, WG, type TenantWorld } from '../../helpers/bridge-world.js';

let w: TenantWorld;
let operator: string;
beforeAll(async () => {
  w = await startTenantWorld();
  operator = await w.token('top');
});
afterAll(async () => { await w.close(); });

async function enroll(id: string, extra: Record<string, unknown> = {}, token = operator): Promise<{ status: number; body: any }> {
  const { csr } = await makeCsr(id);
  return w.bridge.call('POST', `/devices/${id}/enroll`, { token, body: { csr, device_name: `Device ${id}`, ...extra } });
}

describe('bridge tenant: enrollment', () => {
  it('issues a device certificate chaining to the tenant CA, creates the hawkBit target and the ThingsBoard device', async () => {
    const r = await enroll('dev-001', { device_type: 'gateway', wg_public_key: 'ZGV2LTAwMS13Zy1wdWJsaWMta2V5LWZvci10ZXN0cz0=' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['ca_chain', 'certificate', 'wireguard_config', 'wireguard_ip']);
    const cert = inspectCert(r.body.certificate);
    expect(cert.commonName).toBe('dev-001');
    expect(cert.sans).toEqual([{ type: 'dns', value: 'dev-001' }]);
    expect(cert.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // device-leaf.tpl: clientAuth only
    expect(await signedBy(r.body.certificate, r.body.ca_chain)).toBe(true);
    expect(await signedBy(r.body.ca_chain, w.ca.rootPem)).toBe(true);
    expect(r.body.wireguard_ip).toBe('10.13.0.2');
    expect(r.body.wireguard_config).toContain('Address = 10.13.0.2/16');
    expect(r.body.wireguard_config).toContain(`PublicKey = ${WG.serverPublicKey}`);
    expect(r.body.wireguard_config).toContain(`Endpoint = ${WG.endpoint}`);
    expect(r.body.wireguard_config).toContain('DNS = 10.13.0.1');
    expect(r.body.wireguard_config).toContain('PrivateKey = <REPLACE_WITH_DEVICE_PRIVATE_KEY>');

    const target = await w.hb.mgmt('GET', '/rest/v1/targets/dev-001');
    expect(target.status).toBe(200);
    expect(target.json).toMatchObject({ controllerId: 'dev-001', name: 'Device dev-001' });

    const tbDevice = await w.tb.get('/api/tenant/devices?deviceName=dev-001');
    expect(tbDevice.status).toBe(200);
    expect(tbDevice.body).toMatchObject({ name: 'dev-001', label: 'Device dev-001', type: 'gateway' });
    const creds = await w.tb.get(`/api/device/${tbDevice.body.id.id}/credentials`);
    expect(creds.body.credentialsType).toBe('X509_CERTIFICATE');
    expect(r.body.certificate.replace(/-----[A-Z ]+-----|\s/g, '')).toBe(creds.body.credentialsValue);

    const one = await w.bridge.call('GET', '/devices/dev-001', { token: operator });
    expect(one.body).toMatchObject({
      device_id: 'dev-001', device_type: 'gateway', source: 'enroll', wireguard_ip: '10.13.0.2', cert_serial: cert.serialDecimal,
      cert_not_after: cert.notAfter.toISOString(), wg_public_key: 'ZGV2LTAwMS13Zy1wdWJsaWMta2V5LWZvci10ZXN0cz0=',
      hawkbit_controller_id: 'dev-001', thingsboard_device_id: tbDevice.body.id.id,
    });
  });

  it('allocates addresses in ascending order, releases them on delete and reuses the lowest free one', async () => {
    const ips = [];
    for (const id of ['dev-002', 'dev-003', 'dev-004']) ips.push((await enroll(id)).body.wireguard_ip);
    expect(ips).toEqual(['10.13.0.3', '10.13.0.4', '10.13.0.5']);
    const del = await w.bridge.call('DELETE', '/devices/dev-003', { token: operator });
    expect(del).toMatchObject({ status: 200, body: { device_id: 'dev-003', status: 'deleted', released_ip: '10.13.0.4' } });
    expect((await w.bridge.call('GET', '/devices/dev-003', { token: operator })).status).toBe(404);
    expect((await enroll('dev-005')).body.wireguard_ip).toBe('10.13.0.4');
    const list = await w.bridge.call('GET', '/devices', { token: operator });
    expect(list.body.total).toBe(4);
    expect(list.body.devices.map((d: any) => [d.device_id, d.wireguard_ip])).toEqual([
      ['dev-001', '10.13.0.2'], ['dev-002', '10.13.0.3'], ['dev-004', '10.13.0.5'], ['dev-005', '10.13.0.4'],
    ]);
    const page = await w.bridge.call('GET', '/devices?offset=1&limit=2', { token: operator });
    expect(page.body.devices.map((d: any) => d.device_id)).toEqual(['dev-002', 'dev-004']);
  });

  it('re-enrolling keeps the address and target, issues a new certificate and replaces the ThingsBoard credentials', async () => {
    const first = await w.bridge.call('GET', '/devices/dev-002', { token: operator });
    const again = await enroll('dev-002');
    expect(again.status).toBe(200);
    expect(again.body.wireguard_ip).toBe('10.13.0.3');
    const after = await w.bridge.call('GET', '/devices/dev-002', { token: operator });
    expect(after.body.cert_serial).not.toBe(first.body.cert_serial);
    expect(after.body.enrolled_at).toBe(first.body.enrolled_at);
    const tbDevice = await w.tb.get('/api/tenant/devices?deviceName=dev-002');
    const creds = await w.tb.get(`/api/device/${tbDevice.body.id.id}/credentials`);
    expect(again.body.certificate.replace(/-----[A-Z ]+-----|\s/g, '')).toBe(creds.body.credentialsValue);
    const targets = await w.hb.mgmt('GET', '/rest/v1/targets?q=controllerId==dev-002', undefined, basic('admin', 'admin'));
    expect(targets.json.total).toBe(1);
  });

  it('refuses bad input as upstream: 422 for a missing field and an invalid CSR, 502 when step-ca refuses the CN', async () => {
    const missing = await w.bridge.call('POST', '/devices/dev-x/enroll', { token: operator, body: { csr_pem: 'x' } });
    expect(missing.status).toBe(422);
    expect(missing.body.detail.map((d: any) => [d.type, d.loc])).toEqual([['missing', ['body', 'csr']], ['missing', ['body', 'device_name']]]);
    const bad = await w.bridge.call('POST', '/devices/dev-x/enroll', { token: operator, body: { csr: 'garbage', device_name: 'x' } });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toMatch(/^Invalid CSR: /);
    const { csr } = await makeCsr('someone-else');
    const cn = await w.bridge.call('POST', '/devices/dev-x/enroll', { token: operator, body: { csr, device_name: 'x' } });
    expect(cn.status).toBe(502);
    expect(cn.body.detail).toMatch(/^PKI signing failed: step-ca sign failed: HTTP 403/);
    expect((await w.hb.mgmt('GET', '/rest/v1/targets/dev-x')).status).toBe(404);
    expect((await w.bridge.call('DELETE', '/devices/dev-x', { token: operator })).status).toBe(404);
  });

  it('needs a tenant-realm token: none → 401, viewer may read but not enroll or delete (403)', async () => {
    const viewer = await w.token('tview');
    expect(await w.bridge.call('GET', '/devices')).toMatchObject({ status: 401, body: { detail: 'Authentication required' } });
    expect((await w.bridge.call('GET', '/devices', { token: viewer })).status).toBe(200);
    expect(await enroll('dev-v', {}, viewer)).toMatchObject({ status: 403, body: { detail: 'Access denied – cdm-admin or cdm-operator role required' } });
    expect((await w.bridge.call('DELETE', '/devices/dev-001', { token: viewer })).status).toBe(403);
    expect((await w.bridge.call('POST', '/webhooks/thingsboard', { body: {} })).status).toBe(401);
    const admin = await w.token('tadmin');
    expect((await enroll('dev-a', {}, admin)).status).toBe(200);
  });
});
