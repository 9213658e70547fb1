// cdm device list|show|health|alarms|ack|clear against the in-process sandbox with a simulated
// fleet (telemetry, hot CPUs) and alarms raised in ThingsBoard.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
const url = (service: string): string => t.sandbox.info.services.find((s) => s.stack === 'acme' && s.service === service)!.url;
let tbToken = '';
async function tb(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url('thingsboard')}${path}`, { method, headers: { 'x-authorization': `Bearer ${tbToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
const hbAuth = (): string => `Basic ${Buffer.from(`admin:${t.sandbox.secrets.tenants.acme!.hawkbitPassword}`).toString('base64')}`;
async function hb(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url('hawkbit')}${path}`, { method, headers: { authorization: hbAuth(), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
const cli = (args: string[]) => runCli([...args, '--context', 'local-acme'], { env: t.env });

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await startTestSandbox();
  const sim = await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '12', '--poll', '200ms', '--cpu-hot', '0.25', '--seed', '5', '--state-dir', t.stateDir], { env: t.env });
  expect(sim.code, sim.stderr).toBe(0);
  const login = await (await fetch(`${url('thingsboard')}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tenant-admin@acme.example.com', password: t.sandbox.secrets.tenants.acme!.thingsboardPassword }) })).json();
  tbToken = login.token;
  // Telemetry of every device has arrived.
  await until('telemetry', async () => {
    const infos = await tb('GET', '/api/tenant/deviceInfos?pageSize=100&page=0');
    for (const d of infos.data) {
      const v = await tb('GET', `/api/plugins/telemetry/DEVICE/${d.id.id}/values/timeseries?keys=cpu_percent`);
      // A key without a value is answered as [{ts: <now>, value: null}].
      if (v.cpu_percent?.[0]?.value == null) return undefined;
    }
    return true;
  });
  // One device gets a distribution set assigned in hawkBit.
  const [sm] = await hb('POST', '/rest/v1/softwaremodules', [{ name: 'cdm-os', version: '2.0.0', type: 'os' }]);
  const [ds] = await hb('POST', '/rest/v1/distributionsets', [{ name: 'cdm-os', version: '2.0.0', type: 'os', modules: [{ id: sm.id }] }]);
  await hb('POST', `/rest/v1/distributionsets/${ds.id}/assignedTargets`, [{ id: 'sim-acme-0003', type: 'forced' }]);
}, 60_000);
afterAll(async () => {
  await runCli(['stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', t.stateDir], { env: t.env });
  await t?.close();
});

describe('cdm device list / show', () => {
  it('merges ThingsBoard, hawkBit and the bridge; streams ndjson; filters', async () => {
    const r = await cli(['device', 'list', '--all', '-o', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(12);
    for (const d of rows) {
      expect(d.id).toMatch(/^sim-acme-/);
      expect(d.wireguardIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(d.certNotAfter).toBeTruthy();
      expect(d.updateStatus).toBeTruthy();
      expect(typeof d.cpuPercent).toBe('number');
      expect(Date.parse(d.lastActivity)).toBeGreaterThan(Date.now() - 120_000);
    }
    const d3 = rows.find((d) => d.id === 'sim-acme-0003');
    expect(d3.assignedDs).toBe('cdm-os:2.0.0');
    expect(rows.filter((d) => d.assignedDs !== null)).toHaveLength(1);
    expect((await cli(['device', 'show', 'sim-acme-0003', '-o', 'json'])).json().assignedDs).toBe('cdm-os:2.0.0');
    const five = await cli(['device', 'list', '--limit', '5', '-o', 'ndjson']);
    expect(five.stdout.trim().split('\n')).toHaveLength(5);
    // A listing cut short says so on stderr: the rest of the page, or a next page, was left unread.
    expect(five.stderr).toContain('Stopped at 5 devices (--limit); more may follow: --all lists every device.');
    expect((await cli(['device', 'list', '--limit', '10'])).stderr).toContain('Stopped at 10 devices');
    const whole = await cli(['device', 'list', '--limit', '12']);
    expect(whole.stdout.trim().split('\n')).toHaveLength(12);
    expect(whole.stderr).not.toContain('Stopped');
    expect((await cli(['device', 'list'])).stderr).not.toContain('Stopped');
    const online = (await cli(['device', 'list', '--online', '--all', '-o', 'json'])).json();
    expect(online.kind).toBe('DeviceList');
    expect(online.items.every((d: { online: boolean }) => d.online)).toBe(true);
    const offline = await cli(['device', 'list', '--offline', '--all', '-o', 'json']);
    expect(offline.json().items.length + online.items.length).toBe(12);
    const q = await cli(['device', 'list', '--query', `controllerId==${rows[0].id}`, '-o', 'json']);
    expect(q.json().items.map((d: { id: string }) => d.id)).toEqual([rows[0].id]);
    const none = await cli(['device', 'list', '--sw-version', 'no-such-version', '-o', 'json']);
    expect(none.json().items).toEqual([]);
    expect((await runCli(['device', 'list', '--sw-version', 'no-such-version', '--context', 'local-acme'], { env: t.env, tty: true })).stderr).toBe('No devices match the filters.\n');
    const sw = rows[0].swVersion as string | null;
    if (sw) expect((await cli(['device', 'list', '--sw-version', sw, '--all', '-o', 'json'])).json().items.length).toBeGreaterThan(0);
    expect((await cli(['device', 'list', '--online', '--offline'])).code).toBe(2);
    // An unknown field is hawkBit's to refuse (400, exit 2); a malformed filter never leaves here.
    const badFiql = await cli(['device', 'list', '--query', 'nosuchfield==x']);
    expect(badFiql.code, badFiql.stderr).toBe(2);
    const targetQueries = (): number => readFileSync(join(t.stateDir, 'sandbox.log'), 'utf8').split('\n').filter((l) => l.includes(' hawkbit ') && l.includes('/rest/v1/targets')).length;
    const before = targetQueries();
    expect(before).toBeGreaterThan(0);
    const malformed = await cli(['device', 'list', '--query', 'name==x;(']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/invalid FIQL filter "name==x;\(": /);
    expect(targetQueries()).toBe(before);
  }, 30_000);

  it('shows one device from every service; unknown is exit 3', async () => {
    const r = await cli(['device', 'show', 'sim-acme-0001', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const d = r.json();
    expect(d).toMatchObject({ kind: 'Device', id: 'sim-acme-0001' });
    expect(d.thingsboard.device.name).toBe('sim-acme-0001');
    expect(d.thingsboard.telemetry.cpu_percent).toBeTruthy();
    expect(d.hawkbit.target.controllerId).toBe('sim-acme-0001');
    expect(d.bridge.device_id).toBe('sim-acme-0001');
    const table = await cli(['device', 'show', 'sim-acme-0001']);
    expect(table.stdout).toMatch(/WireGuard IP/);
    const missing = await cli(['device', 'show', 'nope-1']);
    expect(missing.code).toBe(3);
  }, 30_000);
});

describe('cdm device health', () => {
  it('lists the hot devices worst first', async () => {
    const r = await cli(['device', 'health', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const items = r.json().items as { id: string; cpuPercent: number; problems: string[]; score: number }[];
    expect(items.length).toBe(3);
    for (const i of items) expect(i.cpuPercent).toBeGreaterThan(80);
    const scores = items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(r.stderr).toContain('3 of 12 devices need attention.');
    const none = await cli(['device', 'health', '--cpu-above', '100', '-o', 'json']);
    expect(none.json().items).toEqual([]);
    // Nothing wrong: the review says so in words, not with an empty table.
    const calm = await runCli(['device', 'health', '--cpu-above', '100', '--offline-for', '2h', '--context', 'local-acme'], { env: t.env, tty: true });
    expect(calm.code, calm.stderr).toBe(0);
    expect(calm.stdout).toBe('');
    expect(calm.stderr).toBe('12 devices checked, all healthy: CPU ≤ 100 %, disk ≤ 90 %, none offline for 2h or more.\n');
    expect((await cli(['device', 'health', '--cpu-above', '120'])).code).toBe(2);
  }, 30_000);
});

describe('cdm device alarms / ack / clear', () => {
  it('lists, acknowledges and clears; a repeat is ThingsBoard\'s refusal, exit 5', async () => {
    const dev = await tb('GET', '/api/tenant/devices?deviceName=sim-acme-0002');
    const a = await tb('POST', '/api/alarm', { type: 'High CPU', originator: dev.id, severity: 'MAJOR' });
    await tb('POST', '/api/alarm', { type: 'Disk', originator: dev.id, severity: 'MINOR' });
    const list = await cli(['device', 'alarms', 'sim-acme-0002', '-o', 'json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.json().items.map((x: { type: string }) => x.type).sort()).toEqual(['Disk', 'High CPU']);
    expect((await cli(['device', 'alarms', 'nope-1'])).code).toBe(3);
    const quiet = await runCli(['device', 'alarms', 'sim-acme-0009', '--status', 'unack', '--context', 'local-acme'], { env: t.env, tty: true });
    expect(quiet.stderr).toBe('No unacknowledged alarms for sim-acme-0009.\n');
    const withAlarms = await cli(['device', 'list', '--with-alarms', '-o', 'json']);
    expect(withAlarms.json().items.map((d: { id: string }) => d.id)).toContain('sim-acme-0002');

    const ack = await cli(['device', 'ack', a.id.id, '-o', 'json']);
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.json().items[0]).toMatchObject({ outcome: 'done', status: 'ACTIVE_ACK' });
    const again = await cli(['device', 'ack', a.id.id, '-o', 'json']);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/already acknowledged/);
    expect((await cli(['device', 'alarms', 'sim-acme-0002', '--status', 'unack', '-o', 'json'])).json().items.map((x: { type: string }) => x.type)).toEqual(['Disk']);

    // A malformed id is bad input: exit 2, and ThingsBoard is not asked.
    const alarmCalls = (): number => readFileSync(join(t.stateDir, 'sandbox.log'), 'utf8').split('\n').filter((l) => l.includes(' thingsboard ') && l.includes('/api/alarm/')).length;
    const callsBefore = alarmCalls();
    const typo = await cli(['device', 'clear', a.id.id, 'abc']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/invalid alarm id "abc": ThingsBoard alarm ids are UUIDs/);
    expect((await cli(['device', 'ack', 'not-an-id', '--dry-run'])).code).toBe(2);
    expect(alarmCalls()).toBe(callsBefore);

    expect((await cli(['device', 'clear', a.id.id])).code).toBe(0);
    expect(alarmCalls()).toBeGreaterThan(callsBefore);
    expect((await cli(['device', 'clear', a.id.id])).code).toBe(5);
    const both = await cli(['device', 'clear', a.id.id, (await cli(['device', 'alarms', 'sim-acme-0002', '-o', 'json'])).json().items[0].id, '-o', 'json']);
    expect(both.code).toBe(6);
    expect(both.json().items.map((x: { outcome: string }) => x.outcome)).toEqual(['failed', 'done']);
    const dry = await cli(['device', 'ack', a.id.id, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Nothing was changed/);
    expect(dry.stdout).toContain('acknowledge 1 alarm in ThingsBoard');
    expect((await cli(['device', 'clear', a.id.id, a.id.id, '--dry-run'])).stdout).toContain('clear 2 alarms in ThingsBoard');
  }, 30_000);
});
