// `cdm rollout` end to end with the device simulator at 100 devices per tenant, checking hawkBit's
// own numbers (GET /rest/v1/rollouts/{id} totalTargetsPerStatus, action states) at each step:
// (a) acme, fail-rate 0: canary 5 % → held → status → expand → finished, 100/100;
// (b) globex: 1.0.0 installed on all 100 (plain assignment with fail-rate 0), the simulation
//     restarted with fail-rate 0.5, a canary of 2.0.x fails → paused, expand refused (exit 5,
//     canary-failures named), rollback assigns 1.0.0 to exactly the devices whose action failed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
const cdm = (tenant: string, ...args: string[]) => runCli([...args, '--context', `local-${tenant}`], { env: t.env });
const simulate = (...args: string[]) => runCli(['stack', 'simulate', ...args, '--state-dir', t.stateDir], { env: t.env });

function hbFor(tenant: string) {
  const base = `${t.sandbox.info.services.find((s) => s.stack === tenant && s.service === 'hawkbit')!.url}/rest/v1`;
  const auth = `Basic ${Buffer.from(`admin:${t.sandbox.secrets.tenants[tenant]!.hawkbitPassword}`).toString('base64')}`;
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 40_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface ActionView { status: string; _links: { target: { name: string } } }
async function actionsOf(hb: ReturnType<typeof hbFor>, rolloutId: number): Promise<ActionView[]> {
  return (await hb('GET', `/actions?q=rollout.id==${rolloutId}&limit=500&representation=full`)).content as ActionView[];
}
const TERMINAL = ['finished', 'error', 'canceled'];

function bundle(name: string, text: string): string {
  const path = join(t.stateDir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  t = await startTestSandbox({ provider: false, tenants: ['acme', 'globex'] });
  for (const tenant of ['acme', 'globex']) {
    const sim = await simulate('--tenant', tenant, '--devices', '100', '--poll', '300ms', '--fail-rate', '0', '--seed', '17', '-o', 'json');
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.json()).toMatchObject({ devices: 100, enrolled: 100, enrollFailed: 0 });
  }
}, 120_000);
afterAll(async () => {
  for (const tenant of ['acme', 'globex']) await simulate('--tenant', tenant, '--stop');
  await t?.close();
});

describe('rollout end to end, 100 simulated devices', () => {
  it('(a) fail-rate 0: canary 5 % is held, expand takes it to 100/100', async () => {
    const hb = hbFor('acme');
    expect((await cdm('acme', 'rollout', 'upload', bundle('acme-2.0.0.raucb', 'rauc bundle 2.0.0 for acme'), '--name', 'cdm-os', '--version', '2.0.0')).code).toBe(0);
    const made = await cdm('acme', 'rollout', 'canary', 'fw-2.0', '--ds', 'cdm-os:2.0.0', '--target', 'name==sim-*', '--percent', '5', '-o', 'json');
    expect(made.code, made.stderr).toBe(0);
    expect(made.json()).toMatchObject({ matchingTargets: 100, started: true, warnings: [] });
    expect(made.json().groupsCreated).toEqual([{ name: 'canary', totalTargets: 5 }, { name: 'wave-1', totalTargets: 25 }, { name: 'wave-2', totalTargets: 70 }]);
    // The hint names the rollout as the operator did.
    expect(made.stderr).toContain('then check the gate and go on: cdm rollout expand fw-2.0');
    const id = made.json().id as number;

    // hawkBit holds the rollout after the canary: 5 finished, the 95 others not started.
    const held = await until('the canary pause', async () => {
      const r = await hb('GET', `/rollouts/${id}`);
      return r.status === 'paused' ? r : undefined;
    });
    expect(held.totalTargets).toBe(100);
    expect(held.totalTargetsPerStatus).toMatchObject({ finished: 5, error: 0, running: 0 });
    expect(held.totalTargetsPerStatus.scheduled + held.totalTargetsPerStatus.notstarted).toBe(95);

    const status = await cdm('acme', 'rollout', 'status', 'fw-2.0', '--exit-status', '-o', 'json');
    expect(status.code).toBe(8);
    expect(status.json()).toMatchObject({ status: 'paused', phase: 'paused', totalTargets: 100, totals: { finished: 5, error: 0 } });
    expect(status.json().groups.map((g: { name: string; finished: number; totalTargets: number }) => [g.name, g.finished, g.totalTargets])).toEqual([['canary', 5, 5], ['wave-1', 0, 25], ['wave-2', 0, 70]]);

    const expand = await cdm('acme', 'rollout', 'expand', 'fw-2.0', '--min-stable', '0s', '-o', 'json');
    expect(expand.code, expand.stderr).toBe(0);
    expect(expand.json()).toMatchObject({ passed: true, action: 'resumed', nextGroup: 'wave-1', canary: { group: 'canary', devices: 5 } });
    const running = await hb('GET', `/rollouts/${id}`);
    expect(['running', 'finished']).toContain(running.status);

    const watched = await cdm('acme', 'rollout', 'status', 'fw-2.0', '--watch', '--interval', '300ms', '-o', 'json');
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.json()).toMatchObject({ status: 'finished', phase: 'finished', totals: { finished: 100, error: 0 } });
    const done = await hb('GET', `/rollouts/${id}`);
    expect(done.status).toBe('finished');
    expect(done.totalTargetsPerStatus).toMatchObject({ finished: 100, error: 0, running: 0, scheduled: 0, notstarted: 0, cancelled: 0 });
    expect((await hb('GET', '/targets?q=updatestatus==in_sync&limit=1')).total).toBe(100);
  }, 60_000);

  it('(b) fail-rate 0.5: the canary fails, expand is refused, rollback assigns 1.0.0 to exactly the failed devices', async () => {
    const hb = hbFor('globex');
    // 1.0.0 on every device first (fail-rate 0), so that there is a previous release.
    expect((await cdm('globex', 'rollout', 'upload', bundle('globex-1.0.0.raucb', 'rauc bundle 1.0.0'), '--name', 'cdm-os', '--version', '1.0.0')).code).toBe(0);
    const v1 = (await hb('GET', '/distributionsets?q=name==cdm-os;version==1.0.0')).content[0];
    const targets = (await hb('GET', '/targets?limit=100')).content as Array<{ controllerId: string }>;
    expect(targets).toHaveLength(100);
    await hb('POST', `/distributionsets/${v1.id}/assignedTargets`, targets.map((x) => ({ id: x.controllerId, type: 'forced' })));
    await until('1.0.0 installed on all', async () => ((await hb('GET', '/targets?q=updatestatus==in_sync&limit=1')).total === 100 ? true : undefined));

    // Same devices, now failing half of their updates.
    expect((await simulate('--tenant', 'globex', '--stop')).code).toBe(0);
    const sim = await simulate('--tenant', 'globex', '--devices', '100', '--poll', '300ms', '--fail-rate', '0.5', '--seed', '1', '-o', 'json');
    expect(sim.code, sim.stderr).toBe(0);
    expect((await hb('GET', `/targets/${targets[0]!.controllerId}/installedDS`)).version).toBe('1.0.0');

    // Half the updates fail, at random (the devices' draws depend on their polls): a 5-device
    // canary has no failure 1 time in 32. Then that canary is cancelled and another one, excluding
    // the devices it updated, is tried (at most 3 rounds).
    let id = 0;
    let name = '';
    let version = '';
    const exclude: string[] = [];
    for (let round = 0; ; round++) {
      version = `2.0.${round}`;
      name = `fw-flaky-${round}`;
      expect((await cdm('globex', 'rollout', 'upload', bundle(`globex-${version}.raucb`, `rauc bundle ${version}, flaky`), '--name', 'cdm-os', '--version', version)).code).toBe(0);
      const target = ['name==sim-*', ...exclude.map((d) => `name!=${d}`)].join(';');
      const made = await cdm('globex', 'rollout', 'canary', name, '--ds', `cdm-os:${version}`, '--target', target, '--percent', '5', '-o', 'json');
      expect(made.code, made.stderr).toBe(0);
      id = made.json().id as number;
      const watched = await cdm('globex', 'rollout', 'status', name, '--watch', '--interval', '300ms', '-o', 'json');
      if (watched.code === 8 && round < 2) {
        // Held after a canary that fully succeeded: not the case under test.
        exclude.push(...(await actionsOf(hb, id)).filter((a) => a.status === 'finished').map((a) => a._links.target.name));
        expect((await cdm('globex', 'rollout', 'cancel', name, '--confirm', name)).code).toBe(0);
        continue;
      }
      expect(watched.code, watched.stderr).toBe(7);
      expect(watched.json()).toMatchObject({ status: 'paused', phase: 'paused-on-errors' });
      break;
    }
    // hawkBit made an action per target, scheduled for the later groups; the canary's 5 that were
    // still updating when it paused finish theirs.
    const actions = await until('the canary actions to end', async () => {
      const acts = (await actionsOf(hb, id)).filter((a) => a.status !== 'scheduled');
      return acts.length === 5 && acts.every((a) => TERMINAL.includes(a.status)) ? acts : undefined;
    });
    const failed = actions.filter((a) => a.status === 'error').map((a) => a._links.target.name).sort();
    const succeeded = actions.filter((a) => a.status === 'finished').map((a) => a._links.target.name);
    expect(failed.length).toBeGreaterThan(0);
    const paused = await hb('GET', `/rollouts/${id}`);
    expect(paused.status).toBe('paused');
    expect(paused.totalTargetsPerStatus).toMatchObject({ error: failed.length, finished: succeeded.length, running: 0 });
    expect(paused.totalTargetsPerStatus.scheduled + paused.totalTargetsPerStatus.notstarted).toBe(paused.totalTargets - 5);

    const refused = await cdm('globex', 'rollout', 'expand', name, '--min-stable', '0s', '-o', 'json');
    expect(refused.code).toBe(5);
    expect(refused.json()).toMatchObject({ kind: 'GateReport', passed: false, action: 'refused' });
    const gate = Object.fromEntries(refused.json().conditions.map((c: { name: string }) => [c.name, c]));
    expect(gate['canary-failures']).toMatchObject({ value: failed.length, pass: false });
    expect(gate['canary-failures'].detail.split(', ').sort()).toEqual(failed);
    expect((await hb('GET', `/rollouts/${id}`)).status).toBe('paused');

    const rb = await cdm('globex', 'rollout', 'rollback', name, '--confirm', name, '-o', 'json');
    expect(rb.code, rb.stderr).toBe(0);
    const items = rb.json().items as Array<{ device: string; to?: string; result: string }>;
    expect(items.map((i) => i.device).sort()).toEqual(failed);
    expect(items.every((i) => i.result === 'assigned' && i.to === 'cdm-os:1.0.0')).toBe(true);
    for (const d of failed) expect((await hb('GET', `/targets/${d}/assignedDS`)).version).toBe('1.0.0');
    for (const d of succeeded) expect((await hb('GET', `/targets/${d}/assignedDS`)).version).toBe(version);
  }, 60_000);
});
