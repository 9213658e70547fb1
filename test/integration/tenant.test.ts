// `cdm tenant` against the in-process sandbox: prepare → join (both sides) → show → onboard
// re-run → offboard; the legacy request/approve/reject flow; refusals that send nothing.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type RunResult } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => { t = await startTestSandbox({ tenants: ['acme', 'beta'] }); });
afterAll(async () => { await t?.close(); });

const provider = (args: string[], stdin?: string): Promise<RunResult> =>
  runCli([...args, '--context', 'local-provider'], { env: t.env, ...(stdin !== undefined ? { stdin } : {}) });
const acme = (args: string[], stdin?: string): Promise<RunResult> =>
  runCli([...args, '--context', 'local-acme'], { env: t.env, ...(stdin !== undefined ? { stdin } : {}) });
const bridgeUrl = (): string => t.sandbox.info.services.find((s) => s.stack === 'provider' && s.service === 'bridge')!.url;
const sandboxLog = (): string[] => readFileSync(join(t.stateDir, 'sandbox.log'), 'utf8').split('\n').filter(Boolean);
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
    expect(r.subCa).toMatchObject({ chainValid: true, subject: 'CN=acme Issuing CA' });
    expect(r.install).toMatchObject({ mode: 'sandbox', outcome: 'installed', reloaded: true });
    expect(r.identityProvider).toMatchObject({ alias: 'cdm-provider', realm: 'acme', outcome: 'created' });
    for (const f of ['sub-ca.key', 'mqtt-bridge.key', 'wireguard.key', 'rabbitmq.env', 'keycloak-federation.env']) expect(statSync(join(out, f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'keycloak-federation.env'), 'utf8')).toMatch(/CDM_IDP_CLIENT_ID=cdm-federation-acme/);
    expect(readFileSync(join(out, 'rabbitmq.env'), 'utf8')).toMatch(/RABBITMQ_USER=acme-mqtt-bridge/);

    // The tenant step-ca now issues under the Sub-CA: a device certificate chains to the provider root.
    const dev = await acme(['cert', 'issue', 'dev-join-1', '--key-out', join(out, 'dev.key'), '--out', join(out, 'dev.crt'), '-o', 'json']);
    expect(dev.stderr).toBe('');
    expect(dev.json().issuer).toContain('acme Issuing CA');

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
    const before = sandboxLog().length;
    const r = await runCli(argv, { env: t.env });
    expect(r.code).toBe(2);
    expect(sandboxLog().length).toBe(before);
  });

  it('an empty key on stdin is exit 2', async () => {
    const before = sandboxLog().length;
    const r = await acme(['tenant', 'join', '--provider-url', bridgeUrl(), '--join-key-stdin'], '\n');
    expect(r.code).toBe(2);
    expect(sandboxLog().length).toBe(before);
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
