// A canary whose devices fail the update: the group breaches its error threshold and pauses the
// rollout, `status --watch` exits 7, and `expand` refuses (exit 5) naming each failed condition
// (failures, success share, the "OTA Failure" alarms the devices raised in ThingsBoard).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
const cdm = (...args: string[]) => runCli([...args, '--context', 'local-acme'], { env: t.env });

beforeAll(async () => {
  t = await startTestSandbox({ provider: false });
  const sim = await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '20', '--poll', '100ms', '--fail-rate', '1', '--seed', '9', '--state-dir', t.stateDir], { env: t.env });
  expect(sim.code, sim.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await runCli(['stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', t.stateDir], { env: t.env });
  await t?.close();
});

describe('cdm rollout with a failing canary', () => {
  it('status --watch exits 7 and expand refuses with the failed conditions as JSON', async () => {
    const bundle = join(t.stateDir, 'bad.raucb');
    writeFileSync(bundle, 'a bundle the devices fail to install');
    expect((await cdm('rollout', 'upload', bundle, '--name', 'cdm-os', '--version', '3.0.0')).code).toBe(0);
    const made = await cdm('rollout', 'canary', 'fw-bad', '--ds', 'cdm-os:3.0.0', '--target', 'name==*', '--percent', '10', '--then', '90', '-o', 'json');
    expect(made.code, made.stderr).toBe(0);
    expect(made.json().groupsCreated).toEqual([{ name: 'canary', totalTargets: 2 }, { name: 'wave-1', totalTargets: 18 }]);

    const watched = await cdm('rollout', 'status', 'fw-bad', '--watch', '--interval', '100ms', '-o', 'json');
    expect(watched.code, watched.stderr).toBe(7);
    expect(watched.json()).toMatchObject({ status: 'paused', phase: 'paused-on-errors' });
    expect(watched.json().groups[0]).toMatchObject({ name: 'canary', status: 'error' });
    // The first failure breaches the 5 % error threshold and pauses the rollout; the second canary
    // device may report its failure just after (counted by the gate below).
    expect(watched.json().groups[0].error).toBeGreaterThanOrEqual(1);

    // The devices raise their "OTA Failure" alarm right after the feedback: give them a moment.
    await new Promise((r) => setTimeout(r, 500));
    const refused = await cdm('rollout', 'expand', 'fw-bad', '--min-stable', '0s', '-o', 'json');
    expect(refused.code).toBe(5);
    const report = refused.json();
    expect(report).toMatchObject({ kind: 'GateReport', passed: false, action: 'refused', rollout: { name: 'fw-bad', status: 'paused' } });
    const byName = Object.fromEntries(report.conditions.map((c: { name: string }) => [c.name, c]));
    expect(byName['canary-failures']).toMatchObject({ value: 2, pass: false });
    expect(byName['canary-success']).toMatchObject({ value: '0%', pass: false });
    expect(byName['stable-for']).toMatchObject({ pass: true });
    expect(byName['no-active-alarms']).toMatchObject({ value: 2, pass: false });
    expect(JSON.parse(refused.stderr).error).toMatchObject({ code: 'conflict' });

    // --force is severe: without --confirm (no terminal) it is refused before anything changes.
    const forced = await cdm('rollout', 'expand', 'fw-bad', '--min-stable', '0s', '--force');
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain('--confirm fw-bad');

    // Stop it for good (severe, confirmed): status says stopped (exit 5 with --exit-status).
    const stopped = await cdm('rollout', 'cancel', 'fw-bad', '--confirm', 'fw-bad', '-o', 'json');
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(['stopping', 'stopped']).toContain(stopped.json().status);
    const after = await cdm('rollout', 'status', 'fw-bad', '--watch', '--interval', '100ms', '-o', 'json');
    expect(after.code).toBe(5);
    expect(after.json()).toMatchObject({ status: 'stopped', phase: 'stopped' });
  }, 60_000);
});
