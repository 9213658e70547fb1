// `cdm tenant` against the in-process sandbox: prepare → join (both sides) → show → onboard
// re-run → offboard; the legacy request/approve/reject flow; refusals that send nothing.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/core/prompter.js';
import { runCli, type RunResult, runInContext } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => { t = await startTestSandbox({ tenants: ['acme', 'beta', 'gamma'] }); });
afterAll(async () => { await t?.close(); });

const provider = (args: string[], stdin?: string): Promise<RunResult> =>
  runCli([...args, '--context', 'local-provider'], { env: t.env, ...(stdin !== undefined ? { stdin } : {}) });
const acme = runInContext(() => t.env, 'local-acme');
const bridgeUrl = (): string => t.sandbox.info.services.find((s) => s.stack === 'provider' && s.service === 'bridge')!.url;
const sandboxLog = (): string[] => readFileSync(join(t.stateDir, 'sandbox.log'), 'utf8').split('\n').filter(Boolean);
/** The log is written through a stream: let lines of earlier requests land before counting. */
const settledLogLength = async (): Promise<number> => { await new Promise((r) => setTimeout(r, 100)); return sandboxLog().length; };
const beta = (args: string[]): Promise<RunResult> => runCli([...args, '--context', 'local-beta'], { env: t.env });

describe('key join', () => {
  it('prepare → join → show', async () => {
    const prep = await provider(['tenant', 'prepare', 'acme', '--display-name', 'ACME Corp', '-o', 'json']);
    expect(prep.stderr).toContain('shown only this once');
    expect(prep.code).toBe(0);
    const key = prep.json();
    expect(key).toMatchObject({ kind: 'TenantJoinKey', tenantId: 'acme', displayName: 'ACME Corp' });
    expect(key.joinKey).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);

    const out = join(t.env.HOME!, 'acme-bundle');
    const root = join(t.stateDir, 'provider', 'step-ca', 'certs', 'root_ca.crt');
    const joined = await acme(['tenant', 'join', '--provider-url', bridgeUrl(), '--join-key-stdin', '--out', out, '--provider-root', root, '-o', 'json'], `${key.joinKey}\n`);
    expect(joined.stderr).toBe('');
    expect(joined.code).toBe(0);
    const r = joined.json();
    expect(r).toMatchObject({ kind: 'TenantJoin', tenantId: 'acme', status: 'joined', method: 'key', missing: [] });
    expect(r.subCa).toMatchObject({ chainValid: true, subject: 'CN=acme' });
    expect(r.install).toMatchObject({ mode: 'sandbox', outcome: 'installed', reloaded: true });
    expect(r.identityProvider).toMatchObject({ alias: 'cdm-provider', realm: 'acme', outcome: 'created' });
    for (const f of ['sub-ca.key', 'mqtt-bridge.key', 'wireguard.key', 'rabbitmq.env', 'keycloak-federation.env']) expect(statSync(join(out, f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'keycloak-federation.env'), 'utf8')).toMatch(/CDM_IDP_CLIENT_ID=cdm-federation-acme/);
    expect(readFileSync(join(out, 'rabbitmq.env'), 'utf8')).toMatch(/RABBITMQ_USER=acme-mqtt-bridge/);

    // The tenant step-ca now issues under the Sub-CA: a device certificate chains to the provider root.
    const dev = await acme(['cert', 'issue', 'dev-join-1', '--key-out', join(out, 'dev.key'), '--out', join(out, 'dev.crt'), '-o', 'json']);
    expect(dev.stderr).toBe('');
    expect(dev.json().issuer).toBe('CN=acme');

    // The same command again resumes: nothing is sent to the bridge, install and IdP are unchanged.
    const joinsBefore = (await settledLogLength(), sandboxLog().filter((l) => /portal\/admin\/join /.test(l)).length);
    const resumed = await acme(['tenant', 'join', '--provider-url', bridgeUrl(), '--join-key-stdin', '--out', out, '--provider-root', root, '-o', 'json'], `${key.joinKey}\n`);
    expect(resumed.code).toBe(0);
    expect(resumed.json()).toMatchObject({ status: 'joined', install: { outcome: 'unchanged' }, identityProvider: { outcome: 'unchanged' } });
    expect((await settledLogLength(), sandboxLog().filter((l) => /portal\/admin\/join /.test(l)).length)).toBe(joinsBefore);

    // The key is spent: the bridge's own text, exit 4.
    const again = await acme(['tenant', 'join', '--provider-url', bridgeUrl(), '--join-key-stdin', '--out', join(t.env.HOME!, 'other')], key.joinKey);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('each key may only be used once');

    const show = await provider(['tenant', 'show', 'acme', '--sub-ca-cert', join(out, 'sub-ca.crt'), '-o', 'json']);
    expect(show.stderr).toBe('');
    const v = show.json();
    expect(v).toMatchObject({ kind: 'Tenant', tenantId: 'acme', joinState: 'joined', subCaSerial: r.subCa.serial });
    expect(v.keycloak).toMatchObject({ clientId: 'cdm-federation-acme', present: true });
    expect(v.rabbitmq).toMatchObject({ vhost: 'acme', vhostPresent: true, user: 'acme-mqtt-bridge', userPresent: true });
    expect(v.rabbitmq.permissions).not.toBeNull();
    expect(v.pki).toMatchObject({ serial: r.subCa.serial, chainValid: true });

    const list = await provider(['tenant', 'list', '-o', 'json']);
    expect(list.json().items.map((x: { tenantId: string }) => x.tenantId)).toContain('acme');
  });
});

describe('bad input sends nothing', () => {
  it.each([
    ['no key', ['tenant', 'join', '--provider-url', 'http://127.0.0.1:1', '--context', 'local-acme']],
    ['two key sources', ['tenant', 'join', '--provider-url', 'http://127.0.0.1:1', '--join-key-stdin', '--join-key-file', 'x', '--context', 'local-acme']],
    ['missing key file', ['tenant', 'join', '--provider-url', 'http://127.0.0.1:1', '--join-key-file', '/nonexistent/key', '--context', 'local-acme']],
    ['bad provider url', ['tenant', 'join', '--provider-url', 'not a url', '--join-key-stdin', '--context', 'local-acme']],
    ['malformed id', ['tenant', 'prepare', 'ACME_1', '--context', 'local-provider']],
    ['reserved id', ['tenant', 'show', 'cdm', '--context', 'local-provider']],
    ['empty reason', ['tenant', 'reject', 'acme', '--reason', ' ', '--yes', '--context', 'local-provider']],
  ])('%s → exit 2', async (_name, argv) => {
    const before = await settledLogLength();
    const r = await runCli(argv, { env: t.env });
    expect(r.code).toBe(2);
    expect(await settledLogLength()).toBe(before);
  });

  it('dry runs print the plan and send nothing', async () => {
    const before = await settledLogLength();
    const prep = await provider(['tenant', 'prepare', 'delta', '--dry-run', '-o', 'json']);
    expect(prep.code).toBe(0);
    expect(prep.json()).toMatchObject({ kind: 'Plan', dryRun: true });
    const joinPlan = await acme(['tenant', 'join', '--provider-url', bridgeUrl(), '--join-key-stdin', '--dry-run'], 'AAAA-BBBB-CCCC-DDDD');
    expect(joinPlan.code).toBe(0);
    expect(joinPlan.stdout).toMatch(/Dry run: join tenant acme/);
    const onboardPlan = await runCli(['tenant', 'onboard', 'beta', '--provider-context', 'local-provider', '--tenant-context', 'local-beta', '--dry-run'], { env: t.env });
    expect(onboardPlan.code).toBe(0);
    expect(onboardPlan.stdout).toMatch(/identity provider cdm-provider/);
    expect(await settledLogLength()).toBe(before);
  });

  it('an empty key on stdin is exit 2', async () => {
    const before = await settledLogLength();
    const r = await acme(['tenant', 'join', '--provider-url', bridgeUrl(), '--join-key-stdin'], '\n');
    expect(r.code).toBe(2);
    expect(await settledLogLength()).toBe(before);
  });

  it('an unknown key is exit 4 with the bridge\'s words; an unknown tenant is exit 3', async () => {
    const keyFile = join(t.env.HOME!, 'bogus.key');
    writeFileSync(keyFile, 'AAAA-BBBB-CCCC-DDDD\n');
    const r = await acme(['tenant', 'join', '--provider-url', bridgeUrl(), '--join-key-file', keyFile, '--out', join(t.env.HOME!, 'bogus')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Invalid JOIN key.');
    const show = await provider(['tenant', 'show', 'nobody']);
    expect(show.code).toBe(3);
    const approve = await provider(['tenant', 'approve', 'nobody', '--yes']);
    expect(approve.code).toBe(3);
  });
});

describe('legacy request/approve', () => {
  it('wait times out (8), reject (5 with the reason), request again, approve, collect', async () => {
    const a = join(t.env.HOME!, 'beta-a');
    const b = join(t.env.HOME!, 'beta-b');
    const url = bridgeUrl();
    const timedOut = await beta(['tenant', 'join', '--provider-url', url, '--request', '--display-name', 'Beta Ltd', '--out', a, '--wait', '--poll', '100ms', '--wait-timeout', '300ms']);
    expect(timedOut.code).toBe(8);
    expect(timedOut.stderr).toContain('still pending');

    const pending = await provider(['tenant', 'requests', '-o', 'json']);
    expect(pending.json().items).toEqual([expect.objectContaining({ tenantId: 'beta', displayName: 'Beta Ltd', status: 'pending' })]);

    expect((await provider(['tenant', 'reject', 'beta', '--reason', 'no contract yet', '--yes'])).code).toBe(0);
    const rejected = await beta(['tenant', 'join', '--provider-url', url, '--request', '--out', a, '--wait', '--poll', '100ms']);
    expect(rejected.code).toBe(5);
    expect(rejected.stderr).toContain('no contract yet');

    const filed = await beta(['tenant', 'join', '--provider-url', url, '--request', '--out', b, '-o', 'json']);
    expect(filed.code).toBe(0);
    expect(filed.json()).toMatchObject({ status: 'pending', method: 'request' });
    const approved = await provider(['tenant', 'approve', 'beta', '--yes', '-o', 'json']);
    expect(approved.code).toBe(0);
    expect(approved.json()).toMatchObject({ tenantId: 'beta', status: 'approved', errors: {} });

    const collected = await beta(['tenant', 'join', '--provider-url', url, '--request', '--out', b, '--wait', '--poll', '100ms', '-o', 'json']);
    expect(collected.stderr).toBe('');
    expect(collected.code).toBe(0);
    expect(collected.json()).toMatchObject({ status: 'joined', method: 'request', tenantId: 'beta', missing: [] });
    expect(collected.json().identityProvider).toMatchObject({ realm: 'beta', outcome: 'created' });
    expect((await provider(['tenant', 'approve', 'beta', '--yes'])).code).toBe(5);
  });
});

describe('onboard and offboard', () => {
  const both = ['--provider-context', 'local-provider', '--tenant-context', 'local-gamma'];

  it('non-interactive without contexts is exit 2 naming the flag, nothing sent', async () => {
    const before = await settledLogLength();
    const r = await runCli(['tenant', 'onboard', 'gamma', '--tenant-context', 'local-gamma'], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--provider-context');
    const wrong = await runCli(['tenant', 'onboard', 'gamma', '--provider-context', 'local-provider', '--tenant-context', 'local-acme'], { env: t.env });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('belongs to tenant "acme"');
    expect(await settledLogLength()).toBe(before);
  });

  it('wizard on a terminal: asks, shows the plan, declined changes nothing', async () => {
    const asked: string[] = [];
    const prompter: Prompter = {
      interactive: true,
      input: async (m, o) => { asked.push(m); return m === 'Tenant id' ? 'gamma' : (o as { default?: string }).default ?? ''; },
      select: async (m, choices) => { asked.push(m); return choices[0]!.value; },
      confirm: async () => false,
      password: async () => { throw new Error('unexpected'); },
      confirmTyped: async () => false,
    };
    const before = await settledLogLength();
    const r = await runCli(['tenant', 'onboard'], { env: t.env, tty: true, prompter });
    expect(asked).toEqual(['Tenant id', 'Provider context', 'Tenant context', 'Display name']);
    expect(r.stderr).toContain('identity provider cdm-provider');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('declined; nothing was changed');
    expect(await settledLogLength()).toBe(before);
  });

  it('onboard → re-run changes nothing → show → offboard → renewal refused → re-run skips', async () => {
    const first = await runCli(['tenant', 'onboard', 'gamma', ...both, '--display-name', 'Gamma GmbH', '-o', 'json'], { env: t.env });
    expect(first.code).toBe(0);
    const r = first.json();
    expect(r).toMatchObject({ kind: 'TenantOnboard', tenantId: 'gamma', status: 'joined', missing: [] });
    expect(r.steps.map((s: { outcome: string }) => s.outcome)).toEqual(['done', 'done', 'installed', 'created']);
    expect(r.subCa.root).toContain('Root CA');

    // The second run only reads (token requests aside): nothing is prepared, signed, created or updated.
    const writes = (): number => sandboxLog().filter((l) => / (POST|PUT|DELETE|PATCH) /.test(l) && !/openid-connect\/token/.test(l)).length;
    const writesBefore = writes();
    const again = await runCli(['tenant', 'onboard', 'gamma', ...both, '-o', 'json'], { env: t.env });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.json().steps.map((s: { outcome: string }) => s.outcome)).toEqual(['skipped', 'skipped', 'unchanged', 'unchanged']);
    expect(writes()).toBe(writesBefore);

    const bundle = join(t.env.CDM_STATE_DIR!, 'tenants', 'gamma', 'join-bundle');
    const show = await provider(['tenant', 'show', 'gamma', '-o', 'json']);
    expect(show.json()).toMatchObject({ joinState: 'joined', displayName: 'Gamma GmbH', keycloak: { present: true }, rabbitmq: { vhostPresent: true, userPresent: true }, pki: { chainValid: true } });

    // Before offboarding the provider CA renews the Sub-CA (mTLS with its own key)…
    const renewable = await provider(['cert', 'renew', join(bundle, 'sub-ca.crt'), join(bundle, 'sub-ca.key'), '--out', join(t.env.HOME!, 'gamma-renewed.crt')]);
    expect(renewable.code).toBe(0);

    // A revoked certificate recorded as gamma's Sub-CA that gamma's CA never signed with: the
    // warning below must still find the real one among cdm's records.
    const decoy = join(t.env.HOME!, 'gamma-decoy.crt');
    expect((await provider(['cert', 'issue', 'gamma-decoy', '--ca', '--key-out', join(t.env.HOME!, 'gamma-decoy.key'), '--out', decoy])).code).toBe(0);
    const decoySerial = (await runCli(['cert', 'inspect', decoy, '-o', 'json'], { env: t.env })).json().items[0].serial as string;
    expect((await provider(['cert', 'revoke', '--sub-ca', 'gamma', '--cert', decoy, '--reason', 'superseded', '--confirm', decoySerial])).code).toBe(0);
    const notYet = await runCli(['device', 'enroll', 'early-1', '--generate', '--out', join(t.env.HOME!, 'early-1'), '--context', 'local-gamma'], { env: t.env });
    expect(notYet.code, notYet.stderr).toBe(0);
    expect(notYet.stderr).not.toContain('revoked the Sub-CA');

    const dry = await provider(['tenant', 'offboard', 'gamma', '--dry-run', '-o', 'json']);
    expect(dry.json().steps.map((s: { action: string; target: string }) => `${s.action} ${s.target}`)).toEqual([
      expect.stringMatching(/^revoke Sub-CA serial \d+ \(CN=gamma\)$/), 'delete RabbitMQ user gamma-mqtt-bridge', 'delete RabbitMQ vhost gamma',
      'delete federation client cdm-federation-gamma', 'mark removed tenant gamma',
    ]);
    const refused = await provider(['tenant', 'offboard', 'gamma']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--confirm gamma');

    const off = await provider(['tenant', 'offboard', 'gamma', '--confirm', 'gamma', '-o', 'json']);
    expect(off.code).toBe(0);
    expect(off.json().steps.map((s: { step: string; outcome: string }) => `${s.step}:${s.outcome}`)).toEqual([
      'revoke-sub-ca:done', 'delete-rabbitmq-user:done', 'delete-rabbitmq-vhost:done', 'delete-federation-client:done', 'mark-removed:done',
    ]);
    expect(off.stderr).toContain('PASSIVELY');

    // …afterwards it refuses: the serial is revoked (step-ca's 401 text, exit 4).
    const renew = await provider(['cert', 'renew', join(bundle, 'sub-ca.crt'), join(bundle, 'sub-ca.key'), '--out', join(t.env.HOME!, 'gamma-renewed-2.crt')]);
    expect(renew.code).toBe(4);
    expect(renew.stderr).toMatch(/lacked necessary authorization/);

    const after = await provider(['tenant', 'show', 'gamma', '-o', 'json']);
    expect(after.json()).toMatchObject({ joinState: 'removed', keycloak: { present: false }, rabbitmq: { vhostPresent: false, userPresent: false } });

    const rerun = await provider(['tenant', 'offboard', 'gamma', '--confirm', 'gamma', '-o', 'json']);
    expect(rerun.code).toBe(0);
    expect(rerun.json().steps.every((s: { outcome: string }) => s.outcome === 'skipped')).toBe(true);

    // The tenant stack still enrolls (its step-ca signs with the revoked Sub-CA): said before it does.
    const late = await runCli(['device', 'enroll', 'late-1', '--generate', '--out', join(t.env.HOME!, 'late-1'), '--context', 'local-gamma'], { env: t.env });
    expect(late.code, late.stderr).toBe(0);
    expect(late.stderr).toMatch(/^warning: cdm revoked the Sub-CA of tenant gamma \(serial \d+, \S+, tenant gamma offboarded, context local-provider\): the tenant step-ca still signs with it/m);
    const issued = await runCli(['cert', 'issue', 'late-2', '--key-out', join(t.env.HOME!, 'late-2.key'), '--context', 'local-gamma'], { env: t.env });
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stderr).toMatch(/^warning: cdm revoked the Sub-CA of tenant gamma/m);
  });
});

describe('offboard with a failing step', () => {
  it('exit 6 naming how to resume; the resumed run finishes only what failed', async () => {
    const good = t.sandbox.secrets.provider.rabbitmqAdminPassword;
    expect((await runCli(['auth', 'set-credential', 'rabbitmq', '--username', 'admin', '--context', 'local-provider'], { env: t.env, stdin: 'wrong-password' })).code).toBe(0);
    const first = await provider(['tenant', 'offboard', 'acme', '--confirm', 'acme', '-o', 'json']);
    expect(first.code).toBe(6);
    expect(first.stderr).toContain('resume with: cdm tenant offboard acme --confirm acme --context local-provider');
    expect(first.json().steps.map((s: { step: string; outcome: string }) => `${s.step}:${s.outcome}`)).toEqual([
      'revoke-sub-ca:done', 'delete-rabbitmq-user:failed', 'delete-rabbitmq-vhost:failed', 'delete-federation-client:done', 'mark-removed:done',
    ]);

    expect((await runCli(['auth', 'set-credential', 'rabbitmq', '--username', 'admin', '--context', 'local-provider'], { env: t.env, stdin: good })).code).toBe(0);
    const plan = await provider(['tenant', 'offboard', 'acme', '--dry-run']);
    expect(plan.stdout).toMatch(/skip \(done .*\) Sub-CA serial/);
    const resumed = await provider(['tenant', 'offboard', 'acme', '--confirm', 'acme', '-o', 'json']);
    expect(resumed.code).toBe(0);
    // The bridge's DELETE already removed the vhost (upstream deletes it too): absent, not an error.
    expect(resumed.json().steps.map((s: { step: string; outcome: string }) => `${s.step}:${s.outcome}`)).toEqual([
      'revoke-sub-ca:skipped', 'delete-rabbitmq-user:done', 'delete-rabbitmq-vhost:absent', 'delete-federation-client:skipped', 'mark-removed:skipped',
    ]);
  });
});
