// An empty list on a terminal says what is empty and how to fill it, not "No resources found."
// (stderr: stdout stays empty for scripts; -o json still prints an empty list).
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempConfigEnv } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

describe('empty lists', () => {
  it('context list and cert list say what is missing and how to add it', async () => {
    const env = tempConfigEnv();
    const contexts = await runCli(['context', 'list'], { env, tty: true });
    expect(contexts.code).toBe(0);
    expect(contexts.stdout).toBe('');
    expect(contexts.stderr).toBe('No contexts yet: `cdm stack up` writes the sandbox ones, `cdm context add` any other.\n');
    expect((await runCli(['context', 'add', 'remote', '--kind', 'tenant', '--tenant', 'acme', '--stepca-url', 'https://192.0.2.1:9000', '--use'], { env })).code).toBe(0);
    // cert list reads cdm's own records: no request, so the unreachable CA does not matter.
    const certs = await runCli(['cert', 'list'], { env, tty: true });
    expect(certs.code, certs.stderr).toBe(0);
    expect(certs.stderr).toMatch(/^No certificates recorded for this context yet: cdm lists what it issued/);
    expect((await runCli(['cert', 'list', '--revoked'], { env, tty: true })).stderr).toBe('No certificate cdm recorded matches.\n');
    const json = await runCli(['cert', 'list', '-o', 'json'], { env });
    expect(json.json()).toEqual({ apiVersion: 'cdm/v1', kind: 'CertificateList', items: [] });
  });
});

describe('empty lists of a fresh sandbox', () => {
  let t: TestSandbox | undefined;
  afterAll(async () => { await t?.close(); });

  it('tenants, join requests and rollouts say how to get some', async () => {
    t = await startTestSandbox();
    const tty = (args: string[]) => runCli(args, { env: t!.env, tty: true });
    const tenants = await tty(['tenant', 'list', '--context', 'local-provider']);
    expect(tenants.code, tenants.stderr).toBe(0);
    expect(tenants.stderr).toBe('No tenants yet: `cdm tenant onboard <id>` adds one.\n');
    expect((await tty(['tenant', 'requests', '--context', 'local-provider'])).stderr).toBe('No pending join requests (--all shows the approved and rejected ones too).\n');
    expect((await tty(['rollout', 'list', '--context', 'local-acme'])).stderr).toBe('No rollouts yet: `cdm rollout canary` starts one.\n');
  }, 30_000);
});
