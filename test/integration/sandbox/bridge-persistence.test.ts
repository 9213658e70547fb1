// Both bridges keep their state across a restart on the same state file: join keys (a used key
// stays used), the tenant register and audit; enrolled devices with their addresses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinPayload, makeCsr } from '../../helpers/bridge-csr.js';
import { startProviderWorld, startTenantWorld, type ProviderWorld, type TenantWorld } from '../../helpers/bridge-world.js';

let p: ProviderWorld;
let t: TenantWorld;
beforeAll(async () => { [p, t] = await Promise.all([startProviderWorld(), startTenantWorld()]); });
afterAll(async () => { await Promise.all([p.close(), t.close()]); });

describe('bridge persistence', () => {
  it('provider: keys, register and audit survive a restart', async () => {
    const admin = await p.token('cdm', 'alice');
    const used = (await p.bridge.call('POST', '/portal/admin/tenants/prepare', { token: admin, body: { tenant_id: 'acme', display_name: 'Acme' } })).body.join_key;
    const open = (await p.bridge.call('POST', '/portal/admin/tenants/prepare', { token: admin, body: { tenant_id: 'beta', display_name: 'Beta' } })).body.join_key;
    expect((await p.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': used }, body: await joinPayload('acme', 'Acme') })).status).toBe(200);
    const before = await p.bridge.call('GET', '/portal/admin/tenants', { token: admin });

    await p.bridge.restart();
    expect(await p.bridge.call('GET', '/portal/admin/tenants', { token: admin })).toMatchObject({ status: 200, body: before.body });
    expect((await p.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': used }, body: await joinPayload('acme', 'Acme') })).status).toBe(401);
    expect((await p.bridge.call('POST', '/portal/admin/join', { headers: { 'x-join-key': open }, body: await joinPayload('beta', 'Beta') })).status).toBe(200);
    const actions = (await p.bridge.call('GET', '/audit', { token: admin })).body.events.map((e: any) => e.action);
    expect(actions).toEqual(['tenant.prepare', 'tenant.prepare', 'tenant.join', 'tenant.join', 'tenant.join']);
  });

  it('tenant: devices and their addresses survive a restart; allocation continues after them', async () => {
    const operator = await t.token('top');
    const enroll = async (id: string): Promise<string> => {
      const { csr } = await makeCsr(id);
      const r = await t.bridge.call('POST', `/devices/${id}/enroll`, { token: operator, body: { csr, device_name: id } });
      expect(r.status).toBe(200);
      return r.body.wireguard_ip as string;
    };
    expect([await enroll('d1'), await enroll('d2')]).toEqual(['10.13.0.2', '10.13.0.3']);
    await t.bridge.restart();
    const list = await t.bridge.call('GET', '/devices', { token: operator });
    expect(list.body.devices.map((d: any) => [d.device_id, d.wireguard_ip])).toEqual([['d1', '10.13.0.2'], ['d2', '10.13.0.3']]);
    expect(await enroll('d3')).toBe('10.13.0.4');
  });
});
