// `cdm rollout status --watch --pause-on-alarms` against the sandbox with simulated devices: a
// rollout that keeps running (a bench target in it never polls), an alarm raised in ThingsBoard
// on a device the rollout already updated → the watch pauses the rollout in hawkBit, names the
// device and the alarm, and exits 7. An alarm older than the rollout does not count.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
const cdm = (...args: string[]) => runCli([...args, '--context', 'local-acme'], { env: t.env });
const url = (service: string): string => t.sandbox.info.services.find((s) => s.stack === 'acme' && s.service === service)!.url;
const hbAuth = (): string => `Basic ${Buffer.from(`admin:${t.sandbox.secrets.tenants.acme!.hawkbitPassword}`).toString('base64')}`;

async function hb(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url('hawkbit')}/rest/v1${path}`, { method, headers: { authorization: hbAuth(), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

let tbToken = '';
async function tb(method: string, path: string, body?: unknown): Promise<any> {
  if (!tbToken) {
    const login = await fetch(`${url('thingsboard')}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tenant-admin@acme.example.com', password: t.sandbox.secrets.tenants.acme!.thingsboardPassword }) });
    tbToken = ((await login.json()) as { token: string }).token;
  }
  const res = await fetch(`${url('thingsboard')}${path}`, { method, headers: { 'x-authorization': `Bearer ${tbToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Raises an alarm the way an operator or a rule chain would: ThingsBoard's REST `POST /api/alarm`. */
async function raiseAlarm(device: string, type: string, severity: string): Promise<void> {
  const d = await tb('GET', `/api/tenant/devices?deviceName=${encodeURIComponent(device)}`);
  await tb('POST', '/api/alarm', { originator: { entityType: 'DEVICE', id: d.id.id }, type, severity });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await startTestSandbox({ provider: false });
  const sim = await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '20', '--poll', '200ms', '--fail-rate', '0', '--seed', '11', '--state-dir', t.stateDir], { env: t.env });
  expect(sim.code, sim.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await runCli(['stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', t.stateDir], { env: t.env });
  await t?.close();
});

describe('cdm rollout status --watch --pause-on-alarms', () => {
  it('refuses --pause-on-alarms without --watch (exit 2)', async () => {
    const r = await cdm('rollout', 'status', '1', '--pause-on-alarms');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--pause-on-alarms only goes with --watch');
  });

  it('pauses the rollout when an updated device raises an alarm, names it, and exits 7', async () => {
    const bundle = join(t.stateDir, 'cdm-os-4.0.0.raucb');
    writeFileSync(bundle, 'rauc bundle v4.0.0');
    expect((await cdm('rollout', 'upload', bundle, '--name', 'cdm-os', '--version', '4.0.0')).code).toBe(0);
    // A bench target that never polls keeps the rollout running (its action never ends).
    await hb('POST', '/targets', [{ controllerId: 'zz-bench-stalled' }]);
    const devices = (await hb('GET', '/targets?limit=100&q=name!=zz-*')).content.map((x: { controllerId: string }) => x.controllerId);
    expect(devices).toHaveLength(20);
    // An alarm from before the rollout does not count.
    await raiseAlarm(devices[0], 'Old Alarm', 'MAJOR');
    await new Promise((r) => setTimeout(r, 20));

    const made = await cdm('rollout', 'create', 'fw-alarms', '--ds', 'cdm-os:4.0.0', '--target', 'name==*', '--success-threshold', '100', '--start', '-o', 'json');
    expect(made.code, made.stderr).toBe(0);
    const id = made.json().id as number;
    const watch = cdm('rollout', 'status', 'fw-alarms', '--watch', '--pause-on-alarms', '--interval', '200ms', '-o', 'json');

    // Every simulated device updated; the rollout still runs (the bench target waits).
    const finished = await until('the simulated devices to install', async () => {
      const acts = (await hb('GET', `/actions?q=rollout.id==${id}&limit=100&representation=full`)).content as Array<{ status: string; _links: { target: { name: string } } }>;
      const done = acts.filter((a) => a.status === 'finished').map((a) => a._links.target.name);
      return done.length === 20 ? done : undefined;
    });
    expect(finished).toContain(devices[0]);
    await new Promise((r) => setTimeout(r, 600)); // a few polls with only the old alarm: no pause
    expect((await hb('GET', `/rollouts/${id}`)).status).toBe('running');

    const victim = devices[7] as string;
    await raiseAlarm(victim, 'High Temperature', 'CRITICAL');
    const r = await watch;
    expect(r.code, r.stderr).toBe(7);
    expect(r.json()).toMatchObject({
      kind: 'RolloutStatus', name: 'fw-alarms', status: 'paused', phase: 'paused-on-alarms',
      pausedForAlarm: { device: victim, type: 'High Temperature', severity: 'CRITICAL', action: 'paused' },
    });
    expect(r.stderr).toContain(`alarm "High Temperature" (CRITICAL`);
    expect(r.stderr).toContain(`on updated device ${victim}`);
    expect((await hb('GET', `/rollouts/${id}`)).status).toBe('paused');
  }, 60_000);
});
