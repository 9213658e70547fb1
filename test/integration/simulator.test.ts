// The device simulator end to end inside the sandbox: enrollment through the tenant bridge into
// step-ca, hawkBit, ThingsBoard and WireGuard; DDI polling; an update assigned in hawkBit that
// some devices fail (feedback, alarm) and others install (sw_version, slot flip).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => { t = await startTestSandbox(); });
afterAll(async () => { await runCli(['stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', t.stateDir], { env: t.env }); await t?.close(); });

const url = (service: string): string => t.sandbox.info.services.find((s) => s.stack === 'acme' && s.service === service)!.url;
const hbAuth = (): string => `Basic ${Buffer.from(`admin:${t.sandbox.secrets.tenants.acme!.hawkbitPassword}`).toString('base64')}`;

async function hb(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url('hawkbit')}${path}`, { method, headers: { authorization: hbAuth(), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('cdm stack simulate', () => {
  it('enrolls 20 devices everywhere, and they install or fail an assigned update', async () => {
    const sim = await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '20', '--poll', '200ms', '--fail-rate', '0.3', '--cpu-hot', '0.1', '--seed', '3', '--state-dir', t.stateDir, '-o', 'json'], { env: t.env });
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.json()).toMatchObject({ kind: 'Simulation', devices: 20, enrolled: 20, enrollFailed: 0 });

    const targets = await hb('GET', '/rest/v1/targets?limit=100');
    expect(targets.total).toBe(20);
    const tbLogin = await (await fetch(`${url('thingsboard')}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tenant-admin@acme.example.com', password: t.sandbox.secrets.tenants.acme!.thingsboardPassword }) })).json();
    const tbGet = async (path: string): Promise<any> => (await fetch(`${url('thingsboard')}${path}`, { headers: { 'x-authorization': `Bearer ${tbLogin.token}` } })).json();
    const devices = await tbGet('/api/tenant/deviceInfos?pageSize=100&page=0');
    expect(devices.totalElements).toBe(20);
    const token = (await runCli(['auth', 'token', '--context', 'local-acme'], { env: t.env })).stdout.trim();
    const bridgeDevices = await (await fetch(`${url('bridge')}/devices`, { headers: { authorization: `Bearer ${token}` } })).json();
    const ips = (Array.isArray(bridgeDevices) ? bridgeDevices : bridgeDevices.devices ?? bridgeDevices.items).map((d: { wireguard_ip: string }) => d.wireguard_ip);
    expect(new Set(ips).size).toBe(20);

    // An OS update for every device.
    const [sm] = await hb('POST', '/rest/v1/softwaremodules', [{ name: 'cdm-os', version: '2.0.0', type: 'os' }]);
    const form = new FormData();
    form.set('file', new Blob([Buffer.from('rauc bundle bytes')]), 'cdm-os-2.0.0.raucb');
    const up = await fetch(`${url('hawkbit')}/rest/v1/softwaremodules/${sm.id}/artifacts`, { method: 'POST', headers: { authorization: hbAuth() }, body: form });
    expect(up.status).toBe(201);
    const [ds] = await hb('POST', '/rest/v1/distributionsets', [{ name: 'cdm-os', version: '2.0.0', type: 'os', modules: [{ id: sm.id }] }]);
    await hb('POST', `/rest/v1/distributionsets/${ds.id}/assignedTargets`, targets.content.map((x: { controllerId: string }) => ({ id: x.controllerId, type: 'forced' })));

    const done = await until('all updates finished', async () => {
      const all = await hb('GET', '/rest/v1/targets?limit=100');
      const states = all.content.map((x: { updateStatus: string }) => x.updateStatus);
      return states.every((s: string) => s === 'in_sync' || s === 'error') ? states : undefined;
    });
    const failed = done.filter((s: string) => s === 'error').length;
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(20);

    // ThingsBoard sees the outcome: sw_version on the installed ones, alarms on the failed ones.
    const first = devices.data[0];
    const latest = await until('telemetry', async () => {
      const v = await tbGet(`/api/plugins/telemetry/DEVICE/${first.id.id}/values/timeseries?keys=sw_version,ota_status,cpu_percent,rauc_slot`);
      return v.ota_status?.[0]?.value === 'success' || v.ota_status?.[0]?.value === 'failed' ? v : undefined;
    });
    // ThingsBoard's REST API returns time-series values as strings.
    expect(Number(latest.cpu_percent[0].value)).toBeGreaterThan(0);
    const alarms = await tbGet('/api/alarms?pageSize=100&page=0&searchStatus=ACTIVE');
    const otaAlarms = (alarms.data ?? []).filter((a: { type: string }) => a.type === 'OTA Failure');
    expect(otaAlarms.length).toBe(failed);
  }, 60_000);

  it('refuses a second simulation for a running tenant (exit 5) and bad input (exit 2)', async () => {
    const again = await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '2', '--state-dir', t.stateDir], { env: t.env });
    expect(again.code).toBe(5);
    expect((await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '0', '--state-dir', t.stateDir], { env: t.env })).code).toBe(2);
    expect((await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '5', '--fail-rate', '1.5', '--state-dir', t.stateDir], { env: t.env })).code).toBe(2);
    // A zero interval polled in a busy loop, one beyond a timer's reach (24.8 days) every millisecond.
    for (const poll of ['0s', '25h']) {
      const res = await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '5', '--poll', poll, '--state-dir', t.stateDir], { env: t.env });
      expect([res.code, res.stderr]).toEqual([2, `error: --poll: invalid interval "${poll}": from 100ms to 24h\n`]);
    }
    expect((await runCli(['stack', 'simulate', '--tenant', 'nope', '--devices', '5', '--state-dir', t.stateDir], { env: t.env })).code).toBe(3);
  });
});
