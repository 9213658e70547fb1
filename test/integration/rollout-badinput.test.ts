// Bad input to `cdm rollout` that the other rollout tests do not cover:
// - thresholds outside 0–100 (success, error, canary --percent) → exit 2, nothing sent;
// - a target filter that matches nothing → exit 2 (bad input, like an unknown distribution set:
//   the operator's filter is wrong) after read requests only: no rollout is created;
// - an upload interrupted after the software module was created (the artifact POST fails) →
//   re-running the same command completes it, reusing the module: one module, one artifact, one
//   distribution set in the end. Shown twice: with the module made by hand (the state an
//   interrupted run leaves), and with real interruptions from the sandbox's fault injection.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextStore } from '../../src/config/contexts.js';
import { CredentialStore } from '../../src/config/credentials.js';
import { resolvePaths } from '../../src/config/paths.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/stack/host.js';
import { writeSandboxContexts } from '../../src/workflows/sandbox/contexts.js';
import { randomPortBase } from '../helpers/ports.js';
import { runCli, tempConfigEnv } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/temp.js';

let t: TestSandbox;
const cdm = (...args: string[]) => runCli([...args, '--context', 'local-acme'], { env: t.env });

function hbApi(sb: RunningSandbox) {
  const base = `${sb.info.services.find((s) => s.stack === 'acme' && s.service === 'hawkbit')!.url}/rest/v1`;
  const auth = `Basic ${Buffer.from(`admin:${sb.secrets.tenants.acme!.hawkbitPassword}`).toString('base64')}`;
  /** One call; retried on 5xx/429/dropped so the fault-injected sandbox answers in the end. */
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}${path}`, { method, headers: { authorization: auth, connection: 'close', ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) }).catch(() => undefined);
      if (res && res.status < 300) { const text = await res.text(); return text ? JSON.parse(text) : undefined; }
      if (res && res.status < 429) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      if (attempt > 20) throw new Error(`${method} ${path}: still failing`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
}

/** The sandbox request log: hawkBit Management API lines that are not reads. */
async function writes(stateDir: string): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 150)); // the log is a write stream: let it flush
  return readFileSync(join(stateDir, 'sandbox.log'), 'utf8').split('\n').filter((l) => l.includes(' hawkbit ') && l.includes(' /rest/v1/'));
}

beforeAll(async () => {
  t = await startTestSandbox({ provider: false });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('cdm rollout bad input', () => {
  it.each([
    [['create', 'fw-x', '--success-threshold', '101'], '--success-threshold'],
    [['create', 'fw-x', '--success-threshold', '-5'], '--success-threshold'],
    [['create', 'fw-x', '--error-threshold', '150'], '--error-threshold'],
    [['create', 'fw-x', '--error-threshold', 'lots'], '--error-threshold'],
    [['canary', 'fw-x', '--percent', '120'], '--percent'],
    [['canary', 'fw-x', '--error-threshold', '-1'], '--error-threshold'],
  ])('threshold outside 0–100 %j → exit 2, nothing sent', async (args, flag) => {
    const before = (await writes(t.stateDir)).length;
    const r = await cdm('rollout', ...args, '--ds', 'cdm-os:1.0.0', '--target', 'name==*');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`invalid ${flag}`);
    expect(r.stderr).toContain('0 to 100');
    expect((await writes(t.stateDir)).length).toBe(before);
  });

  it('a target filter matching nothing → exit 2 before anything is created', async () => {
    const hb = hbApi(t.sandbox);
    await hb('POST', '/targets', [{ controllerId: 'dev-a' }, { controllerId: 'dev-b' }]);
    const bundle = join(t.stateDir, 'empty-match.raucb');
    writeFileSync(bundle, 'bundle for the empty match');
    expect((await cdm('rollout', 'upload', bundle, '--name', 'cdm-os', '--version', '1.0.0')).code).toBe(0);
    for (const verb of ['create', 'canary']) {
      const before = (await writes(t.stateDir)).length;
      const r = await cdm('rollout', verb, 'fw-none', '--ds', 'cdm-os:1.0.0', '--target', 'name==nothing-*', '-o', 'json');
      expect(r.code, r.stderr).toBe(2);
      expect(JSON.parse(r.stderr).error.message).toBe('no target matches name==nothing-*; nothing was created');
      expect((await writes(t.stateDir)).slice(before).filter((l) => !l.includes(' GET '))).toEqual([]);
    }
    expect((await hb('GET', '/rollouts')).total).toBe(0);
  });

  it('an upload interrupted after the module was created: the re-run reuses the module, no duplicates', async () => {
    const hb = hbApi(t.sandbox);
    // What an interrupted run leaves behind: the software module, no artifact, no DS.
    const [sm] = await hb('POST', '/softwaremodules', [{ name: 'cdm-os', version: '1.1.0', type: 'os' }]);
    const bundle = join(t.stateDir, 'cdm-os-1.1.0.raucb');
    writeFileSync(bundle, 'rauc bundle v1.1.0');
    const r = await cdm('rollout', 'upload', bundle, '--name', 'cdm-os', '--version', '1.1.0', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ softwareModuleId: sm.id, softwareModule: 'reused', artifact: 'uploaded', distributionSet: 'created' });
    expect((await hb('GET', '/softwaremodules?q=name==cdm-os;version==1.1.0')).total).toBe(1);
    expect(await hb('GET', `/softwaremodules/${sm.id}/artifacts`)).toHaveLength(1);
    expect((await hb('GET', '/distributionsets?q=name==cdm-os;version==1.1.0')).total).toBe(1);
  });
});

describe('cdm rollout upload under injected faults', () => {
  let sb: RunningSandbox | undefined;
  afterAll(async () => { await sb?.close(); });

  it('runs interrupted by 5xx / dropped connections leave parts behind; re-running completes without duplicates', async () => {
    const env = tempConfigEnv();
    const stateDir = tempDir('cdm-sandbox-');
    sb = await startSandbox({ stateDir, provider: false, tenants: ['acme'], portBase: randomPortBase(), faults: { errorRate: 0.35, seed: 3 } });
    const paths = resolvePaths(env);
    writeSandboxContexts(sb.info, sb.secrets, await ContextStore.open(paths), new CredentialStore(paths));
    const bundle = join(stateDir, 'cdm-os-5.0.0.raucb');
    writeFileSync(bundle, 'rauc bundle v5.0.0 '.repeat(100));
    const hb = hbApi(sb);

    const runs: Array<{ code: number; result?: Record<string, unknown>; modules: number; stderr: string }> = [];
    for (let i = 0; i < 15; i++) {
      const r = await runCli(['rollout', 'upload', bundle, '--name', 'cdm-os', '--version', '5.0.0', '--context', 'local-acme', '-o', 'json'], { env });
      const modules = (await hb('GET', '/softwaremodules?q=name==cdm-os;version==5.0.0')).total as number;
      runs.push({ code: r.code, modules, stderr: r.stderr, ...(r.code === 0 ? { result: r.json() } : {}) });
      if (r.code === 0) break;
    }
    const last = runs.at(-1)!;
    expect(last.code, JSON.stringify(runs.map((x) => [x.code, x.modules, x.stderr.slice(0, 200)]))).toBe(0);
    // Some run failed after the module existed (an interrupted upload), and a later one finished it.
    const interrupted = runs.findIndex((x) => x.code !== 0 && x.modules === 1);
    expect(interrupted).toBeGreaterThanOrEqual(0);
    expect(last.result).toMatchObject({ softwareModule: 'reused', distributionSet: 'created' });

    expect(runs.every((x) => x.modules <= 1)).toBe(true);
    const modules = await hb('GET', '/softwaremodules?q=name==cdm-os;version==5.0.0');
    expect(modules.total).toBe(1);
    expect(await hb('GET', `/softwaremodules/${modules.content[0].id}/artifacts`)).toHaveLength(1);
    expect((await hb('GET', '/distributionsets?q=name==cdm-os;version==5.0.0')).total).toBe(1);

    // And once complete, a re-run reuses everything.
    const again = await runCli(['rollout', 'upload', bundle, '--name', 'cdm-os', '--version', '5.0.0', '--context', 'local-acme', '-o', 'json'], { env });
    if (again.code === 0) expect(again.json()).toMatchObject({ softwareModule: 'reused', artifact: 'reused', distributionSet: 'reused' });
    expect((await hb('GET', '/distributionsets?q=name==cdm-os;version==5.0.0')).total).toBe(1);
  }, 60_000);
});
