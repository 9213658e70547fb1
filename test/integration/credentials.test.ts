// Credentials, TLS policy and severe confirmations through the CLI.
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeycloakEmulator } from '../../src/sandbox/keycloak/index.js';
import { runCli, tempConfigEnv } from '../helpers/run-cli.js';

describe('cdm auth set-credential', () => {
  it('stores a piped secret 0600, never echoing it', async () => {
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--use'], { env });
    const res = await runCli(['auth', 'set-credential', 'hawkbit', '--username', 'admin'], { env, stdin: 's3cret-value\n' });
    expect(res.code).toBe(0);
    expect(res.stdout + res.stderr).not.toContain('s3cret-value');
    const file = join(env.CDM_CONFIG_DIR!, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).contexts.p.services.hawkbit).toEqual({ username: 'admin', secret: 's3cret-value' });
  });

  it('stores a reference instead of a value; a bad reference is exit 2', async () => {
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--use'], { env });
    expect((await runCli(['auth', 'set-credential', 'stepca', '--ref', 'env:PROV_PW'], { env })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(env.CDM_CONFIG_DIR!, 'credentials.json'), 'utf8')).contexts.p.services.stepca).toEqual({ secret: 'env:PROV_PW' });
    expect((await runCli(['auth', 'set-credential', 'stepca', '--ref', 'vault:x'], { env })).code).toBe(2);
    expect((await runCli(['auth', 'set-credential', 'nosuch'], { env, stdin: 'x' })).code).toBe(2);
    expect((await runCli(['auth', 'set-credential', 'rabbitmq'], { env, stdin: '' })).code).toBe(2);
  });

  it('dry-run shows the plan and stores nothing, without reading stdin', async () => {
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--use'], { env });
    const res = await runCli(['auth', 'set-credential', 'rabbitmq', '--username', 'admin', '--dry-run', '-o', 'json'], { env, stdin: 'pw' });
    expect(res.json()).toMatchObject({ kind: 'Plan', steps: [{ action: 'store', target: 'rabbitmq credential' }] });
    expect(() => readFileSync(join(env.CDM_CONFIG_DIR!, 'credentials.json'))).toThrow();
  });
});

describe('TLS policy', () => {
  it('--insecure is refused on a production context (exit 2, nothing sent)', async () => {
    let hits = 0;
    const server = createServer((_q, r) => { hits++; r.end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'prod', '--kind', 'provider', '--production', '--keycloak-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--use'], { env });
    const res = await runCli(['auth', 'login', '--username', 'u', '--password-stdin', '--insecure'], { env, stdin: 'pw' });
    server.close();
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('marked production');
    expect(hits).toBe(0);
  });

  it('a context client certificate that cannot be read is exit 2', async () => {
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'm', '--kind', 'provider', '--keycloak-url', 'https://127.0.0.1:9', '--client-cert', '/nope.pem', '--client-key', '/nope.key', '--use'], { env });
    const res = await runCli(['auth', 'login', '--username', 'u', '--password-stdin'], { env, stdin: 'pw' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('client certificate');
    expect((await runCli(['context', 'add', 'h', '--kind', 'provider', '--client-cert', '/x.pem'], { env })).code).toBe(2);
  });
});

describe('Keycloak under /auth', () => {
  it('a base URL without /auth finds a Keycloak served under /auth', async () => {
    const holder: { emu?: ReturnType<typeof createKeycloakEmulator> } = {};
    const server = createServer((q, r) => void holder.emu!.handle(q, r));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The issuer must name the real port, so the emulator is made once the port is known.
    holder.emu = createKeycloakEmulator({ publicUrl: base, relativePath: '/auth', seed: { adminUsername: 'admin', adminPassword: 'adminpw', tenants: [], users: [{ realm: 'cdm', username: 'op', password: 'op-pw', realmRoles: ['cdm-admin'] }] } });
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'kc', '--kind', 'provider', '--keycloak-url', base, '--use'], { env });
    const bare = await runCli(['auth', 'login', '--username', 'op', '--password-stdin', '-o', 'json'], { env, stdin: 'op-pw' });
    await runCli(['context', 'add', 'kc2', '--kind', 'provider', '--keycloak-url', `${base}/auth`, '--use'], { env });
    const prefixed = await runCli(['auth', 'login', '--username', 'op', '--password-stdin', '-o', 'json'], { env, stdin: 'op-pw' });
    server.close();
    expect(bare.code, bare.stderr).toBe(0);
    expect(prefixed.code, prefixed.stderr).toBe(0);
    expect(bare.json().user).toBe('op');
  });
});

describe('severe confirmation', () => {
  it('a mismatched --confirm is refused; a mistyped id on a terminal changes nothing', async () => {
    const env = tempConfigEnv();
    const wrong = await runCli(['stack', 'reset', '--state-dir', join(env.HOME!, 'sandbox'), '--confirm', 'other'], { env });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('does not match the target "sandbox"');
    const prompter = { interactive: true, confirm: async () => true, select: async () => { throw new Error('x'); }, input: async () => '', password: async () => '', confirmTyped: async () => false };
    const typo = await runCli(['stack', 'reset', '--state-dir', join(env.HOME!, 'sandbox'), '--yes'], { env, tty: true, prompter });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('nothing was changed');
  });
});
