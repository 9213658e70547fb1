// Tenant bridge, ThingsBoard webhooks (connect and telemetry) in upstream's response shapes, and
// the tenant audit trail of enrollments, deletions and webhook calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr } from '../../helpers/bridge-csr.js';
import { startTenantWorld, type TenantWorld } from '../../helpers/bridge-world.js';
import { JsonStore } from '../../../src/sandbox/kit/store.js';

let w: TenantWorld;
let operator: string;
beforeAll(async () => {
  w = await startTenantWorld();
  operator = await w.token('top');
});
afterAll(async () => { await w.close(); });

const hook = (path: string, body: unknown): Promise<{ status: number; body: any }> => w.bridge.call('POST', path, { token: operator, body });

describe('bridge tenant: webhooks', () => {
  it('connect: ignored without an id, provisioned once (hawkBit target + address), then already_provisioned', async () => {
    expect(await hook('/webhooks/thingsboard', {})).toMatchObject({
      status: 200, body: { status: 'ignored', device_id: null, wireguard_ip: null, reason: 'No device_id found in event metadata' },
    });
    const event = { msgType: 'CONNECT_EVENT', metadata: { deviceId: 'tb-uuid-1', deviceName: 'sensor-1', deviceType: 'sensor' }, data: {} };
    expect(await hook('/webhooks/thingsboard', event)).toMatchObject({ status: 200, body: { status: 'provisioned', device_id: 'tb-uuid-1', wireguard_ip: '10.13.0.2', reason: null } });
    expect((await w.hb.mgmt('GET', '/rest/v1/targets/tb-uuid-1')).json).toMatchObject({ name: 'sensor-1' });
    expect(await hook('/webhooks/thingsboard', event)).toMatchObject({ status: 200, body: { status: 'already_provisioned', wireguard_ip: '10.13.0.2' } });
    const dev = await w.bridge.call('GET', '/devices/tb-uuid-1', { token: operator });
    expect(dev.body).toMatchObject({ source: 'thingsboard_webhook', device_type: 'sensor', cert_serial: null });
  });

  it('telemetry: one row per top-level key, ignored for empty data; 422 for a non-object metadata', async () => {
    const r = await hook('/webhooks/thingsboard/telemetry', { metadata: { deviceName: 'sensor-1', tenantId: 'tb-tenant' }, data: { cpu_percent: 12.5, disk_percent: 40, ok: true, sw_version: '1.2.0' } });
    expect(r).toMatchObject({ status: 200, body: { status: 'written', device_id: 'sensor-1', tenant_id: 'tb-tenant', points_written: 4, reason: null } });
    const rows = JsonStore.read<{ telemetry: any[] }>(w.bridge.stateFile)!.telemetry;
    expect(rows.map((x) => [x.metric_name, x.value, x.tags.raw_type])).toEqual([
      ['cpu_percent', 12.5, 'float'], ['disk_percent', 40, 'int'], ['ok', 1, 'bool'], ['sw_version', null, 'str'],
    ]);
    expect(await hook('/webhooks/thingsboard/telemetry', { metadata: { deviceName: 'sensor-1' }, data: {} }))
      .toMatchObject({ status: 200, body: { status: 'ignored', points_written: 0 } });
    const bad = await hook('/webhooks/thingsboard/telemetry', { metadata: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ type: 'dict_type', loc: ['body', 'metadata'] });
  });
});

describe('bridge tenant: audit', () => {
  it('lists enrollments (also failed ones), deletions and webhook calls with actor and outcome', async () => {
    const start = new Date().toISOString();
    const { csr } = await makeCsr('dev-aud');
    expect((await w.bridge.call('POST', '/devices/dev-aud/enroll', { token: operator, body: { csr, device_name: 'Audited' } })).status).toBe(200);
    expect((await w.bridge.call('POST', '/devices/dev-bad/enroll', { token: operator, body: { csr, device_name: 'Wrong CN' } })).status).toBe(502);
    expect((await w.bridge.call('DELETE', '/devices/dev-aud', { token: operator })).status).toBe(200);
    await hook('/webhooks/thingsboard', { metadata: { deviceId: 'tb-uuid-2' } });
    const viewer = await w.token('tview');
    const r = await w.bridge.call('GET', `/audit?since=${encodeURIComponent(start)}`, { token: viewer });
    expect(r.status).toBe(200);
    expect(r.body.events.map((e: any) => [e.action, e.actor, e.target, e.outcome])).toEqual([
      ['device.enroll', 'top', 'dev-aud', 'success'],
      ['device.enroll', 'top', 'dev-bad', 'failure'],
      ['device.delete', 'top', 'dev-aud', 'success'],
      ['webhook.thingsboard', 'top', 'tb-uuid-2', 'success'],
    ]);
    expect(r.body.events[0].details).toMatchObject({ device_name: 'Audited', wireguard_ip: expect.stringMatching(/^10\.13\./) });
    expect(r.body.events[1].details.reason).toMatch(/^PKI signing failed/);
    expect(r.body.events[2].details.released_ip).toBe(r.body.events[0].details.wireguard_ip);
    const none = await w.bridge.call('GET', `/audit?until=${encodeURIComponent('2000-01-01T00:00:00')}`, { token: viewer });
    expect(none.body).toEqual({ events: [], total: 0 });
  });
});
