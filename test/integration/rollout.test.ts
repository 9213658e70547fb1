// cdm rollout against the sandbox with simulated devices polling hawkBit DDI: upload (idempotent,
// conflicting bundle), create --dry-run counts, bad input that sends nothing, a canary that pauses
// and expands to the end, a canary with failures that the gate refuses, and status --watch.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
let dir: string;
const cdm = (...args: string[]) => runCli([...args, '--context', 'local-acme'], { env: t.env });

/** The sandbox request log (one line per request: time stack service method path status). */
async function requestLog(): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 150)); // the log is a write stream: let it flush
  return readFileSync(join(t.stateDir, 'sandbox.log'), 'utf8').split('\n').filter((l) => l.includes(' hawkbit ') && l.includes(' /rest/v1/'));
}

beforeAll(async () => {
  t = await startTestSandbox({ provider: false });
  dir = t.stateDir;
  const sim = await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '20', '--poll', '100ms', '--fail-rate', '0', '--seed', '5', '--state-dir', t.stateDir], { env: t.env });
  expect(sim.code, sim.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await runCli(['stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', t.stateDir], { env: t.env });
  await t?.close();
});

describe('cdm rollout upload', () => {
  it('creates module, artifact and distribution set, reuses them for the same bundle, refuses another bundle (exit 5)', async () => {
    const bundle = join(dir, 'cdm-os-2.0.0.raucb');
    writeFileSync(bundle, 'rauc bundle v2.0.0');
    const first = await cdm('rollout', 'upload', bundle, '--name', 'cdm-os', '--version', '2.0.0', '-o', 'json');
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ kind: 'Upload', softwareModule: 'created', artifact: 'uploaded', distributionSet: 'created', size: 18 });

    const before = (await requestLog()).length;
    const again = await cdm('rollout', 'upload', bundle, '--name', 'cdm-os', '--version', '2.0.0', '-o', 'json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ softwareModule: 'reused', artifact: 'reused', distributionSet: 'reused', distributionSetId: first.json().distributionSetId });
    expect((await requestLog()).slice(before).filter((l) => !l.includes(' GET '))).toEqual([]);

    const other = join(dir, 'other.raucb');
    writeFileSync(other, 'a different bundle');
    const clash = await cdm('rollout', 'upload', other, '--name', 'cdm-os', '--version', '2.0.0', '-o', 'json');
    expect(clash.code).toBe(5);
    expect(JSON.parse(clash.stderr).error).toMatchObject({ code: 'conflict' });
  });

  it('refuses a missing bundle with exit 2 and sends nothing', async () => {
    const before = (await requestLog()).length;
    const r = await cdm('rollout', 'upload', join(dir, 'nope.raucb'), '--name', 'x', '--version', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file');
    expect((await requestLog()).length).toBe(before);
  });
});

describe('cdm rollout create', () => {
  it('--dry-run shows the expected targets per group and creates nothing', async () => {
    const before = (await requestLog()).length;
    const r = await cdm('rollout', 'create', 'fw-dry', '--ds', 'cdm-os:2.0.0', '--target', 'name==*', '--groups', '5,25,70', '--dry-run', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const plan = r.json();
    const groups = plan.steps.filter((s: { action: string }) => s.action === 'group').map((s: { target: string }) => s.target);
    expect(groups).toEqual(['wave-1: 5% → 1 target', 'wave-2: 25% → 5 targets', 'wave-3: 70% → 14 targets']);
    expect((await requestLog()).slice(before).filter((l) => !l.includes(' GET '))).toEqual([]);
  });

  it.each([
    [['--target', 'name==dev-*;(', '--groups', '5,25,70'], 'invalid FIQL filter'],
    [['--target', 'name==*', '--groups', '5,25,60'], 'error: invalid --groups "5,25,60": the percentages add up to 90, not 100'],
    [['--target', 'name==*', '--action', 'timeforced'], '--forcetime'],
    // Date.parse read '2' as the year 2001: a force time in the past forces every target at once.
    [['--target', 'name==*', '--action', 'timeforced', '--forcetime', '2'], 'invalid --forcetime "2": use an RFC 3339 time with a zone'],
    [['--target', 'name==*', '--action', 'timeforced', '--forcetime', '2030-01-01T02:00:00'], 'invalid --forcetime'],
    [['--target', 'name==*', '--action', 'timeforced', '--forcetime', '2020-01-01T02:00:00Z'], 'is in the past'],
  ])('bad input %j → exit 2, nothing sent', async (extra, message) => {
    const before = (await requestLog()).length;
    const r = await cdm('rollout', 'create', 'fw-bad', '--ds', 'cdm-os:2.0.0', ...extra);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect((await requestLog()).length).toBe(before);
  });

  it('an unknown distribution set → exit 2, only a lookup sent', async () => {
    const before = (await requestLog()).length;
    const r = await cdm('rollout', 'create', 'fw-bad', '--ds', 'nope:9.9', '--target', 'name==*');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown distribution set nope:9.9');
    expect((await requestLog()).slice(before).filter((l) => !l.includes(' GET '))).toEqual([]);
  });
});

const hbUrl = (): string => t.sandbox.info.services.find((s) => s.stack === 'acme' && s.service === 'hawkbit')!.url;
async function hbGet(path: string): Promise<any> {
  const auth = `Basic ${Buffer.from(`admin:${t.sandbox.secrets.tenants.acme!.hawkbitPassword}`).toString('base64')}`;
  return (await fetch(`${hbUrl()}/rest/v1${path}`, { headers: { authorization: auth } })).json();
}
async function hbSend(method: string, path: string, body: unknown): Promise<any> {
  const auth = `Basic ${Buffer.from(`admin:${t.sandbox.secrets.tenants.acme!.hawkbitPassword}`).toString('base64')}`;
  const res = await fetch(`${hbUrl()}/rest/v1${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A bench device driven by hand over DDI (TargetToken auth): takes its open action and reports the outcome. */
async function bench(controllerId: string, outcome: 'success' | 'failure'): Promise<void> {
  const { securityToken } = await hbGet(`/targets/${controllerId}`);
  const headers = { authorization: `TargetToken ${securityToken}`, 'content-type': 'application/json' };
  const base = `${hbUrl()}/DEFAULT/controller/v1/${controllerId}`;
  const href = await until(`an action for ${controllerId}`, async () => {
    const poll = await (await fetch(base, { headers })).json();
    return poll._links?.deploymentBase?.href as string | undefined;
  });
  const actionId = /deploymentBase\/(\d+)/.exec(href)![1];
  await fetch(href, { headers });
  const res = await fetch(`${base}/deploymentBase/${actionId}/feedback`, { method: 'POST', headers, body: JSON.stringify({ status: { execution: 'closed', result: { finished: outcome } } }) });
  expect(res.status).toBe(200);
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

describe('cdm rollout canary', () => {
  it('creates and starts a 5/25/70 rollout whose canary pauses it once it succeeded', async () => {
    const r = await cdm('rollout', 'canary', 'fw-canary', '--ds', 'cdm-os:2.0.0', '--target', 'name==*', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const made = r.json();
    expect(made).toMatchObject({ kind: 'Rollout', name: 'fw-canary', started: true, hold: 'pause-success-action', matchingTargets: 20 });
    expect(made.groupsCreated).toEqual([{ name: 'canary', totalTargets: 1 }, { name: 'wave-1', totalTargets: 5 }, { name: 'wave-2', totalTargets: 14 }]);
    expect(made.warnings).toEqual([]);
    const paused = await until('the canary pause', async () => {
      const x = await hbGet(`/rollouts/${made.id}`);
      return x.status === 'paused' ? x : undefined;
    });
    expect(paused.totalTargetsPerStatus).toMatchObject({ finished: 1, error: 0 });

    // Held after the canary: --exit-status says "waiting" (8).
    const held = await cdm('rollout', 'status', 'fw-canary', '--exit-status', '-o', 'json');
    expect(held.code).toBe(8);
    expect(held.json()).toMatchObject({ kind: 'RolloutStatus', status: 'paused', phase: 'paused' });
    expect(held.json().groups.map((g: { name: string; finished: number }) => [g.name, g.finished])).toEqual([['canary', 1], ['wave-1', 0], ['wave-2', 0]]);

    // The gate holds while the canary has not been stable long enough.
    const early = await cdm('rollout', 'expand', 'fw-canary', '--min-stable', '2h', '-o', 'json');
    expect(early.code).toBe(5);
    const refused = early.json();
    expect(refused).toMatchObject({ kind: 'GateReport', passed: false, action: 'refused' });
    expect(refused.conditions.filter((c: { pass: boolean }) => !c.pass).map((c: { name: string }) => c.name)).toEqual(['stable-for']);

    const go = await cdm('rollout', 'expand', 'fw-canary', '--min-stable', '0s', '-o', 'json');
    expect(go.code, go.stderr).toBe(0);
    expect(go.json()).toMatchObject({ passed: true, action: 'resumed', nextGroup: 'wave-1', toLast: false });
    expect(go.json().conditions.map((c: { name: string; pass: boolean }) => [c.name, c.pass])).toEqual([
      ['canary-failures', true], ['canary-success', true], ['stable-for', true], ['no-active-alarms', true],
    ]);

    const watched = await cdm('rollout', 'status', String(made.id), '--watch', '--interval', '100ms', '-o', 'json');
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.json()).toMatchObject({ status: 'finished', phase: 'finished', totals: { finished: 20, error: 0 } });
  }, 60_000);

  it('list, and the lifecycle verbs refuse what hawkBit refuses', async () => {
    const listed = await cdm('rollout', 'list', '-o', 'json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json().items).toContainEqual(expect.objectContaining({ name: 'fw-canary', status: 'finished', finished: 20, error: 0, groups: 3 }));
    const ndjson = await cdm('rollout', 'list', '--query', 'status==FINISHED', '-o', 'ndjson');
    expect(ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l).name)).toEqual(['fw-canary']);

    expect((await cdm('rollout', 'pause', 'fw-canary')).code).toBe(5); // finished, not running
    expect((await cdm('rollout', 'resume', 'fw-canary')).code).toBe(5);
    expect((await cdm('rollout', 'retry', 'fw-canary')).code).toBe(5); // nothing failed
    const severe = await cdm('rollout', 'cancel', 'fw-canary');
    expect(severe.code).toBe(2);
    expect(severe.stderr).toContain('--confirm fw-canary');
    expect((await cdm('rollout', 'status', 'no-such-rollout')).code).toBe(3);

    // hawkBit's rollout names are unique: a taken one is refused before anything is created, dry run included.
    const before = (await requestLog()).length;
    const dup = await cdm('rollout', 'create', 'fw-canary', '--ds', 'cdm-os:2.0.0', '--target', 'name==*');
    expect(dup.code).toBe(5);
    expect(dup.stderr).toMatch(/^error: a rollout named fw-canary exists already \(id \d+, finished\); hawkBit's rollout names are unique\nhint: choose another name; cdm rollout status fw-canary shows the existing one\n/);
    expect((await cdm('rollout', 'canary', 'fw-canary', '--ds', 'cdm-os:2.0.0', '--target', 'name==*', '--dry-run')).code).toBe(5);
    expect((await requestLog()).slice(before).filter((l) => !l.includes(' GET '))).toEqual([]);

    // Deleted after it reached devices, it is kept (unlisted) with its name: hawkBit's 409 is explained.
    const id = (await hbGet('/rollouts?q=name==fw-canary')).content[0].id as number;
    await hbSend('DELETE', `/rollouts/${id}`, undefined);
    await until('the soft delete', async () => ((await hbGet(`/rollouts/${id}`)).status === 'deleted' ? true : undefined));
    const held = await cdm('rollout', 'create', 'fw-canary', '--ds', 'cdm-os:2.0.0', '--target', 'name==*');
    expect(held.code).toBe(5);
    expect(held.stderr).toContain('error: hawkBit refused the name fw-canary: a rollout of that name exists (created meanwhile, or deleted after it reached devices: hawkBit keeps those with their names)');
  });

  it('a rollout created without --start is started with `rollout start`; resume says so', async () => {
    const made = await cdm('rollout', 'create', 'fw-later', '--ds', 'cdm-os:2.0.0', '--target', 'name==*', '--groups', '100', '-o', 'json');
    expect(made.code, made.stderr).toBe(0);
    const id = made.json().id as number;
    expect((await hbGet(`/rollouts/${id}`)).status).toBe('ready');
    const resumed = await cdm('rollout', 'resume', 'fw-later');
    expect(resumed.code).toBe(5);
    expect(resumed.stderr).toContain('hint: the rollout was created without --start; start it: cdm rollout start fw-later');

    const before = (await requestLog()).length;
    const dry = await cdm('rollout', 'start', 'fw-later', '--dry-run', '-o', 'json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json().steps).toEqual([expect.objectContaining({ action: 'start', service: 'hawkbit' })]);
    expect((await requestLog()).slice(before).filter((l) => !l.includes(' GET '))).toEqual([]);

    const started = await cdm('rollout', 'start', 'fw-later', '-o', 'json');
    expect(started.code, started.stderr).toBe(0);
    expect(['starting', 'running']).toContain(started.json().status);
    expect((await requestLog()).some((l) => l.includes(` POST /rest/v1/rollouts/${id}/start `))).toBe(true);
    const again = await cdm('rollout', 'start', 'fw-later');
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/can only be started in state ready/);
  });
});

describe('cdm rollout rollback', () => {
  it('assigns the previously installed release to the devices whose update failed (severe)', async () => {
    // A bench device that installs 2.0.0, then fails 2.1.0 in a rollout.
    // Its display name differs from its id, as for every enrolled device (the bridge names targets after device_name).
    await hbSend('POST', '/targets', [{ controllerId: 'bench-1', name: 'Bench bay 1' }]);
    const v2 = (await hbGet('/distributionsets?q=name==cdm-os;version==2.0.0')).content[0];
    await hbSend('POST', '/targets/bench-1/assignedDS', { id: v2.id, type: 'forced' });
    await bench('bench-1', 'success');
    const next = join(dir, 'cdm-os-2.1.0.raucb');
    writeFileSync(next, 'rauc bundle v2.1.0');
    expect((await cdm('rollout', 'upload', next, '--name', 'cdm-os', '--version', '2.1.0')).code).toBe(0);
    const made = await cdm('rollout', 'create', 'fw-next', '--ds', 'cdm-os:2.1.0', '--target', 'controllerId==bench-*', '--start', '-o', 'json');
    expect(made.code, made.stderr).toBe(0);
    await bench('bench-1', 'failure');
    const watched = await cdm('rollout', 'status', 'fw-next', '--watch', '--interval', '100ms');
    expect(watched.code).toBe(7);

    const dry = await cdm('rollout', 'rollback', 'fw-next', '--dry-run', '-o', 'json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json().steps).toEqual([expect.objectContaining({ action: 'assign', target: 'cdm-os:2.0.0 to bench-1 (failed cdm-os:2.1.0)' })]);
    expect((await cdm('rollout', 'rollback', 'fw-next')).code).toBe(2); // severe: needs --confirm

    const done = await cdm('rollout', 'rollback', 'fw-next', '--confirm', 'fw-next', '-o', 'json');
    expect(done.code, done.stderr).toBe(0);
    expect(done.json()).toMatchObject({ kind: 'Rollback', items: [{ device: 'bench-1', from: 'cdm-os:2.1.0', to: 'cdm-os:2.0.0', result: 'assigned' }] });
    expect((await hbGet('/targets/bench-1/assignedDS')).version).toBe('2.0.0');

    // Resumed, it finishes; its retry is named fw-next_retry, so a second retry collides with the first.
    expect((await cdm('rollout', 'resume', 'fw-next')).code).toBe(0);
    await until('fw-next finished', async () => ((await hbGet('/rollouts?q=name==fw-next')).content[0].status === 'finished' ? true : undefined));
    const retry = await cdm('rollout', 'retry', 'fw-next', '-o', 'json');
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.json()).toMatchObject({ name: 'fw-next_retry' });
    const twice = await cdm('rollout', 'retry', 'fw-next');
    expect(twice.code).toBe(5);
    expect(twice.stderr).toContain('error: rollout fw-next was retried before: hawkBit names every retry fw-next_retry, and that name is taken');
  }, 60_000);
});
