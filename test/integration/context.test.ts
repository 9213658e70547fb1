import { statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfigEnv } from '../helpers/run-cli.js';

const PROVIDER = ['context', 'add', 'prov', '--kind', 'provider', '--keycloak-url', 'https://kc.example.com/auth', '--bridge-url', 'https://bridge.example.com'];

describe('cdm context', () => {
  it('adds, lists, shows, uses and reports the current context', async () => {
    const env = tempConfigEnv();
    expect((await runCli(PROVIDER, { env })).code).toBe(0);
    expect((await runCli(['context', 'add', 'acme', '--kind', 'tenant', '--tenant', 'acme', '--hawkbit-url', 'http://127.0.0.1:8081/', '--use'], { env })).code).toBe(0);

    const list = await runCli(['context', 'list', '-o', 'json'], { env });
    expect(list.code).toBe(0);
    const doc = list.json();
    expect(doc).toMatchObject({ apiVersion: 'cdm/v1', kind: 'ContextList' });
    expect(doc.items.map((c: { name: string; current: boolean }) => [c.name, c.current])).toEqual([['prov', false], ['acme', true]]);
    expect(doc.items[0].keycloak).toEqual({ url: 'https://kc.example.com/auth', realm: 'cdm' });
    expect(doc.items[1].hawkbit.url).toBe('http://127.0.0.1:8081');

    const current = await runCli(['context', 'current'], { env });
    expect(current.stdout).toBe('acme\n');
    const show = await runCli(['context', 'show', '-o', 'json', '--context', 'prov'], { env });
    expect(show.json()).toMatchObject({ kind: 'Context', name: 'prov', current: false });
    expect((await runCli(['context', 'use', 'prov'], { env })).code).toBe(0);
    expect((await runCli(['context', 'current'], { env })).stdout).toBe('prov\n');
  });

  it('stores a relative --ca-bundle, --client-cert and --client-key as absolute paths (the context is used from any directory)', async () => {
    const env = tempConfigEnv();
    expect((await runCli(['context', 'add', 'rel', '--kind', 'tenant', '--tenant', 'acme', '--ca-bundle', 'bundle.pem', '--client-cert', join('certs', 'me.crt'), '--client-key', '/abs/me.key'], { env })).code).toBe(0);
    const doc = (await runCli(['context', 'show', 'rel', '-o', 'json'], { env })).json();
    expect(doc.caFile).toBe(join(process.cwd(), 'bundle.pem'));
    expect(doc.clientCert).toEqual({ certFile: join(process.cwd(), 'certs', 'me.crt'), keyFile: '/abs/me.key' });
  });

  it('prints TSV without a header when stdout is not a terminal, and a table on a terminal', async () => {
    const env = tempConfigEnv();
    await runCli(PROVIDER, { env });
    const piped = await runCli(['context', 'list'], { env });
    expect(piped.stdout.split('\n')[0]!.split('\t')).toEqual(['', 'prov', 'provider', '', 'https://kc.example.com/auth (cdm)', '']);
    const tty = await runCli(['context', 'list'], { env: { ...env, NO_COLOR: '1' }, tty: true });
    expect(tty.stdout).toMatch(/^CURRENT\s+NAME\s+KIND/);
  });

  it('refuses duplicates with exit 5 and unknown contexts with exit 2 and a suggestion', async () => {
    const env = tempConfigEnv();
    await runCli(PROVIDER, { env });
    const dup = await runCli(PROVIDER, { env });
    expect(dup.code).toBe(5);
    expect(dup.stderr).toContain('already exists');
    const unknown = await runCli(['context', 'use', 'porv'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "prov"');
  });

  it('validates flags before writing anything (exit 2)', async () => {
    const env = tempConfigEnv();
    const noTenant = await runCli(['context', 'add', 'x', '--kind', 'tenant'], { env });
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toMatch(/tenant id/);
    const badUrl = await runCli(['context', 'add', 'x', '--kind', 'provider', '--keycloak-url', 'kc.example.com'], { env });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/absolute http/);
    const badKind = await runCli(['context', 'add', 'x', '--kind', 'other'], { env });
    expect(badKind.code).toBe(2);
    expect((await runCli(['context', 'list', '-o', 'json'], { env })).json().items).toEqual([]);
  });

  it('dry-run of add prints the plan and writes nothing', async () => {
    const env = tempConfigEnv();
    const res = await runCli([...PROVIDER, '--dry-run', '-o', 'json'], { env });
    expect(res.code).toBe(0);
    expect(res.json()).toMatchObject({ kind: 'Plan', dryRun: true, steps: [{ action: 'add', target: 'context prov' }] });
    expect((await runCli(['context', 'list', '-o', 'json'], { env })).json().items).toEqual([]);
  });

  it('remove asks on a terminal, needs --yes without one, and drops credentials', async () => {
    const env = tempConfigEnv();
    await runCli(PROVIDER, { env });
    const refused = await runCli(['context', 'remove', 'prov'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const declined = await runCli(['context', 'remove', 'prov'], { env, tty: true, prompter: fakePrompter({ confirm: false }) });
    expect(declined.code).toBe(1);
    const accepted = await runCli(['context', 'remove', 'prov'], { env, tty: true, prompter: fakePrompter({ confirm: true }) });
    expect(accepted.code).toBe(0);
    expect((await runCli(['context', 'list', '-o', 'json'], { env })).json().items).toEqual([]);
  });

  it('renames and carries the current marker', async () => {
    const env = tempConfigEnv();
    await runCli([...PROVIDER, '--use'], { env });
    expect((await runCli(['context', 'rename', 'prov', 'provider-a'], { env })).code).toBe(0);
    expect((await runCli(['context', 'current'], { env })).stdout).toBe('provider-a\n');
  });

  it('exports as YAML and imports all-or-nothing', async () => {
    const a = tempConfigEnv();
    await runCli(PROVIDER, { env: a });
    await runCli(['context', 'add', 'acme', '--kind', 'tenant', '--tenant', 'acme'], { env: a });
    const exported = await runCli(['context', 'export'], { env: a });
    expect(exported.stdout).toContain('kind: ContextList');
    const b = tempConfigEnv();
    expect((await runCli(['context', 'import', '-'], { env: b, stdin: exported.stdout })).code).toBe(0);
    expect((await runCli(['context', 'list', '-o', 'json'], { env: b })).json().items.map((c: { name: string }) => c.name)).toEqual(['prov', 'acme']);
    const again = await runCli(['context', 'import', '-'], { env: b, stdin: exported.stdout });
    expect(again.code).toBe(5);
    expect((await runCli(['context', 'import', '-', '--overwrite'], { env: b, stdin: exported.stdout })).code).toBe(0);
    const bad = await runCli(['context', 'import', '-'], { env: b, stdin: 'kind: ContextList\nitems:\n  - name: x\n    kind: weird\n' });
    expect(bad.code).toBe(2);
  });

  it('import finds files a context names relative to the document beside it, and keeps them absolute', async () => {
    const env = tempConfigEnv();
    const dir = join(env.HOME!, 'handover');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'contexts.yaml');
    writeFileSync(file, 'kind: ContextList\nitems:\n  - name: edge\n    type: tenant\n    tenant: acme\n    caFile: certs/root.pem\n    clientCert:\n      certFile: me.crt\n      keyFile: /keys/me.key\n');
    const res = await runCli(['context', 'import', file], { env });
    expect([res.code, res.stderr]).toEqual([0, 'Imported 1 context.\n']);
    const doc = (await runCli(['context', 'show', 'edge', '-o', 'json'], { env })).json();
    expect([doc.caFile, doc.clientCert]).toEqual([join(dir, 'certs', 'root.pem'), { certFile: join(dir, 'me.crt'), keyFile: '/keys/me.key' }]);
  });

  it('writes config with owner-only permissions', async () => {
    const env = tempConfigEnv();
    await runCli(PROVIDER, { env });
    expect(statSync(join(env.CDM_CONFIG_DIR!, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses a credentials file readable by others (exit 2)', async () => {
    const env = tempConfigEnv();
    await runCli([...PROVIDER, '--use'], { env });
    mkdirSync(env.CDM_CONFIG_DIR!, { recursive: true });
    const file = join(env.CDM_CONFIG_DIR!, 'credentials.json');
    writeFileSync(file, '{"apiVersion":"cdm/v1","contexts":{}}');
    chmodSync(file, 0o644);
    const res = await runCli(['context', 'remove', 'prov', '--yes'], { env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('chmod 600');
  });
});

function fakePrompter(answers: { confirm?: boolean; typed?: string }) {
  return {
    interactive: true,
    confirm: async () => answers.confirm ?? false,
    select: async () => { throw new Error('unexpected select'); },
    input: async () => { throw new Error('unexpected input'); },
    password: async () => { throw new Error('unexpected password'); },
    confirmTyped: async (_m: string, expected: string) => answers.typed === expected,
  };
}
