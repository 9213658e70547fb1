// Provider bridge, legacy JOIN: request (unauthenticated, 202) → join-status → approve (same
// provisioning as the handshake, bundle kept) or reject, with upstream's conflicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectCert, joinPayload, signedBy } from '../../helpers/bridge-csr.js';
import { startProviderWorld, type ProviderWorld } from '../../helpers/bridge-world.js';

let w: ProviderWorld;
let admin: string;
beforeAll(async () => {
  w = await startProviderWorld();
  admin = await w.token('cdm', 'root'); // platform-admin is an admin role too
});
afterAll(async () => { await w.close(); });

async function request(tenantId: string): Promise<{ status: number; body: any }> {
  const { sub_ca_csr, mqtt_bridge_csr, wg_pubkey, keycloak_url } = await joinPayload(tenantId, `${tenantId} AG`);
  return w.bridge.call('POST', `/portal/admin/join-request/${tenantId}`, { body: { display_name: `${tenantId} AG`, sub_ca_csr, mqtt_bridge_csr, wg_pubkey, keycloak_url } });
}

describe('bridge provider: legacy request/approve', () => {
  it('request → pending → approve: bundle in the answer and in join-status, Sub-CA chains to the provider root', async () => {
    const filed = await request('lima');
    expect(filed.status).toBe(202);
    expect(filed.body).toEqual({ status: 'pending', tenant_id: 'lima', message: 'JOIN request received. Awaiting Provider Admin approval.', poll_url: '/portal/admin/tenants/lima/join-status' });
    const pending = await w.bridge.call('GET', '/portal/admin/tenants/lima/join-status');
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ tenant_id: 'lima', status: 'pending', signed_cert: null, wg_client_ip: null });

    const listed = await w.bridge.call('GET', '/portal/admin/join-requests', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.join_requests.map((r: any) => r.tenant_id)).toContain('lima');

    const approved = await w.bridge.call('POST', '/portal/admin/tenants/lima/approve', { token: admin, body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      tenant_id: 'lima', status: 'approved',
      results: { step_ca: 'signed', rabbitmq: 'provisioned', mqtt_bridge_cert: 'signed', keycloak_federation: 'client_created' }, errors: {},
    });
    expect(await signedBy(approved.body.bundle.signed_cert, approved.body.bundle.root_ca_cert)).toBe(true);
    expect(await signedBy(approved.body.bundle.root_ca_cert, w.ca.rootPem)).toBe(true);
    expect(inspectCert(approved.body.bundle.signed_cert)).toMatchObject({ isCA: true, pathLength: 0 });

    const status = await w.bridge.call('GET', '/portal/admin/tenants/lima/join-status');
    expect(status.body).toMatchObject({ status: 'approved', signed_cert: approved.body.bundle.signed_cert, cdm_idp_client_id: 'cdm-federation-lima', rabbitmq_user: 'lima-mqtt-bridge' });
    expect((await w.mqGet('/api/vhosts/lima')).status).toBe(200);

    const tenants = await w.bridge.call('GET', '/portal/admin/tenants', { token: admin });
    expect(tenants.body.tenants.find((t: any) => t.tenant_id === 'lima')).toMatchObject({
      join_state: 'approved', join_method: 'request', sub_ca_serial: inspectCert(approved.body.bundle.signed_cert).serialDecimal,
    });
  });

  it('approved requests cannot be approved, rejected or re-requested (409)', async () => {
    await request('mike');
    expect((await w.bridge.call('POST', '/portal/admin/tenants/mike/approve', { token: admin, body: {} })).status).toBe(200);
    const again = await w.bridge.call('POST', '/portal/admin/tenants/mike/approve', { token: admin, body: {} });
    expect(again).toMatchObject({ status: 409, body: { detail: 'Already approved.' } });
    const reject = await w.bridge.call('POST', '/portal/admin/tenants/mike/reject', { token: admin, body: { reason: 'late' } });
    expect(reject).toMatchObject({ status: 409, body: { detail: 'Cannot reject an already approved request.' } });
    const refile = await request('mike');
    expect(refile).toMatchObject({ status: 409, body: { detail: "Tenant 'mike' is already approved." } });
  });

  it('reject stores the reason (or the default); a rejected request cannot be approved until filed again', async () => {
    await request('november');
    const r = await w.bridge.call('POST', '/portal/admin/tenants/november/reject', { token: admin, body: {} });
    expect(r).toMatchObject({ status: 200, body: { tenant_id: 'november', status: 'rejected' } });
    expect((await w.bridge.call('GET', '/portal/admin/tenants/november/join-status')).body).toMatchObject({ status: 'rejected', rejected_reason: 'Rejected by provider admin.' });
    const approve = await w.bridge.call('POST', '/portal/admin/tenants/november/approve', { token: admin, body: {} });
    expect(approve).toMatchObject({ status: 409, body: { detail: 'Request was rejected. Reset it before approving.' } });
    expect((await request('november')).status).toBe(202);
    expect((await w.bridge.call('POST', '/portal/admin/tenants/november/approve', { token: admin, body: {} })).status).toBe(200);
  });

  it('unknown tenants answer 404; approve without a JSON body answers 422; bad ids 422', async () => {
    expect(await w.bridge.call('GET', '/portal/admin/tenants/nobody/join-status')).toMatchObject({ status: 404, body: { detail: "No JOIN request found for tenant 'nobody'" } });
    expect((await w.bridge.call('POST', '/portal/admin/tenants/nobody/approve', { token: admin, body: {} })).status).toBe(404);
    expect((await w.bridge.call('POST', '/portal/admin/tenants/nobody/reject', { token: admin, body: {} })).status).toBe(404);
    const noBody = await w.bridge.call('POST', '/portal/admin/tenants/nobody/approve', { token: admin });
    expect(noBody.status).toBe(422);
    expect(noBody.body.detail).toEqual([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
    const bad = await request('Upper_Case');
    expect(bad).toMatchObject({ status: 422, body: { detail: 'tenant_id must be lowercase alphanumeric with optional hyphens' } });
  });

  it('a tenant joined with a key cannot be reset by a stranger\'s request', async () => {
    const prep = await w.bridge.call('POST', '/portal/admin/tenants/prepare', { token: admin, body: { tenant_id: 'oscar', display_name: 'Oscar' } });
    const joined = await w.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': prep.body.join_key }, body: await joinPayload('oscar', 'Oscar') });
    expect(joined.status).toBe(200);
    expect(await request('oscar')).toMatchObject({ status: 409, body: { detail: "Tenant 'oscar' is already joined." } });
  });
});
