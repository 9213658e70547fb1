// The cross-cutting contract of commands.md §2–4: exit codes, error formats, prompting policy,
// timeouts and interruption, all through the real CLI entry in-process.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { runCli, tempConfigEnv } from '../helpers/run-cli.js';
import { PassThrough, Readable } from 'node:stream';

describe('bad input', () => {
  it.each([
    [['contxt'], /unknown command 'contxt'.*Did you mean context/],
    [['context', 'list', '--bogus'], /unknown option '--bogus'/],
    [['context', 'use'], /missing required argument 'name'/],
    [['context', 'list', '-o', 'xml'], /Allowed choices are table, wide, json, yaml, ndjson/],
    [['context', 'list', '--timeout', '10'], /--timeout.*use a number with a unit/],
    [['context', 'list', '--timeout', 'soon'], /use a number with a unit/],
    [['context', 'add', 'x', '--kind', 'provider', '--keycloak-url', 'ftp://x'], /only http/],
    [['context', 'add', 'bad name', '--kind', 'provider'], /invalid context name/],
    [['completion', 'tcsh'], /Allowed choices are bash, zsh, fish/],
  ])('cdm %j → exit 2 with one clear line', async (argv, message) => {
    const res = await runCli(argv as string[]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
  });

  it('an unknown --context is exit 2 with a suggestion', async () => {
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'staging', '--kind', 'provider'], { env });
    const res = await runCli(['auth', 'status', '--context', 'stagin'], { env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('unknown context "stagin"');
    expect(res.stderr).toContain('did you mean "staging"');
  });

  it('a bad CDM_OUTPUT names the variable', async () => {
    const res = await runCli(['version'], { env: { ...tempConfigEnv(), CDM_OUTPUT: 'xml' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('CDM_OUTPUT');
  });

  it('sends no request when input is bad', async () => {
    let hits = 0;
    const server = createServer((_req, res) => { hits++; res.end('{}'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', url, '--use'], { env });
    expect((await runCli(['auth', 'login', '--password-stdin'], { env, stdin: 'pw' })).code).toBe(2);
    expect((await runCli(['auth', 'login', '--client-secret-stdin'], { env, stdin: 's' })).code).toBe(2);
    expect((await runCli(['auth', 'login', '--device', '--username', 'x'], { env })).code).toBe(2);
    expect((await runCli(['auth', 'login', '--username', 'u', '--password-stdin'], { env, stdin: '' })).code).toBe(2);
    server.close();
    expect(hits).toBe(0);
  });
});

describe('errors', () => {
  it('are JSON on stderr with -o json', async () => {
    const res = await runCli(['context', 'use', 'missing', '-o', 'json']);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stderr)).toEqual({ apiVersion: 'cdm/v1', kind: 'Error', error: { code: 'usage', message: 'unknown context "missing"', hint: 'add one with `cdm context add` or `cdm stack up`' } });
  });

  it('exit 3 for not found, 4 for login required', async () => {
    const env = tempConfigEnv();
    expect((await runCli(['context', 'current'], { env })).code).toBe(3);
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', 'http://127.0.0.1:9', '--use'], { env });
    const status = await runCli(['auth', 'status', '-o', 'json'], { env });
    expect(status.code).toBe(4);
    expect(JSON.parse(status.stderr).error.code).toBe('auth');
    expect((await runCli(['auth', 'token'], { env })).code).toBe(4);
  });

  it('a network failure is exit 1 naming the service, with a stack trace only under --verbose', async () => {
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', 'http://127.0.0.1:9', '--use'], { env });
    const quiet = await runCli(['auth', 'login', '--username', 'u', '--password-stdin'], { env, stdin: 'pw\n' });
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/keycloak/);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = await runCli(['auth', 'login', '--username', 'u', '--password-stdin', '--verbose'], { env, stdin: 'pw\n' });
    expect(verbose.stderr).toMatch(/\n\s+at /);
    expect(verbose.stderr).not.toContain('pw');
  });
});

describe('prompting policy', () => {
  it('without a terminal a confirmation names --yes; with CI even a TTY does not prompt', async () => {
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider'], { env });
    const noTty = await runCli(['context', 'remove', 'p'], { env });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('pass --yes');
    const ci = await runCli(['context', 'remove', 'p'], { env: { ...env, CI: 'true', CDM_FORCE_TTY: '1' }, tty: true });
    expect(ci.code).toBe(2);
    const noInput = await runCli(['context', 'remove', 'p', '--no-input'], { env, tty: true });
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).toContain('--no-input');
    expect((await runCli(['context', 'remove', 'p', '--yes'], { env })).code).toBe(0);
  });

  it('auth login without a method and without a terminal names the flags', async () => {
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', 'http://127.0.0.1:9', '--use'], { env });
    const res = await runCli(['auth', 'login'], { env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--password-stdin');
    expect(res.stderr).toContain('--client-secret-stdin');
  });
});

describe('timeouts and interruption', () => {
  async function hangingServer(): Promise<{ url: string; close(): void }> {
    const server = createServer(() => { /* never answers */ });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => { server.closeAllConnections(); server.close(); } };
  }

  it('--timeout bounds the whole command: exit 8', async () => {
    const srv = await hangingServer();
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', srv.url, '--use'], { env });
    const res = await runCli(['auth', 'login', '--username', 'u', '--password-stdin', '--timeout', '300ms'], { env, stdin: 'pw' });
    srv.close();
    expect(res.code).toBe(8);
    expect(res.stderr).toContain('timed out after 300ms');
  });

  it('a --timeout longer than a timer holds (24.8 days) bounds nothing; it timed the command out at once', async () => {
    const server = createServer((_, res) => { setTimeout(() => res.writeHead(404).end(), 100); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--use'], { env });
    const res = await runCli(['auth', 'login', '--username', 'u', '--password-stdin', '--timeout', '30d'], { env, stdin: 'pw' });
    server.close();
    expect(res.stderr).not.toContain('timed out');
    expect(res.code).not.toBe(8);
  });

  it('CDM_TIMEOUT and the context default apply when no flag is given (flag > env > context)', async () => {
    const srv = await hangingServer();
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', srv.url, '--default-timeout', '200ms', '--use'], { env });
    const byEnv = await runCli(['auth', 'login', '--username', 'u', '--password-stdin'], { env: { ...env, CDM_TIMEOUT: '250ms' }, stdin: 'pw' });
    expect(byEnv.code).toBe(8);
    expect(byEnv.stderr).toContain('250ms');
    srv.close();
  });

  it('Ctrl-C interrupts with exit 130', async () => {
    const srv = await hangingServer();
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', srv.url, '--use'], { env });
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 200);
    const res = await runCli(['auth', 'login', '--username', 'u', '--password-stdin'], { env, stdin: 'pw', interrupt: interrupt.signal });
    srv.close();
    expect(res.code).toBe(130);
    expect(res.stderr).toContain('interrupted');
  });

  it('SIGTERM (a CI runner cancelling the job) stops the command the same way, saying so', async () => {
    const srv = await hangingServer();
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', srv.url, '--use'], { env });
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort('SIGTERM'), 200);
    const res = await runCli(['auth', 'login', '--username', 'u', '--password-stdin'], { env, stdin: 'pw', interrupt: interrupt.signal });
    srv.close();
    expect([res.code, res.stderr]).toEqual([130, 'error: terminated (SIGTERM)\n']);
  });
});

describe('output', () => {
  it('help topics exist and list every exit code', async () => {
    for (const topic of ['environment', 'exit-codes', 'output', 'contexts']) {
      const res = await runCli(['help', topic]);
      expect(res.code).toBe(0);
      expect(res.stdout.length).toBeGreaterThan(100);
    }
    const codes = (await runCli(['help', 'exit-codes'])).stdout;
    for (const code of [0, 1, 2, 3, 4, 5, 6, 7, 8, 130]) expect(codes).toMatch(new RegExp(`^\\s+${code}\\s`, 'm'));
    expect((await runCli(['help', 'environment'])).stdout).toContain('CDM_CONFIG_DIR');
  });

  it('cdm help <command> shows that command\'s help', async () => {
    const res = await runCli(['help', 'context', 'add']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Usage: cdm context add');
    expect(res.stdout).toContain('Examples:');
  });

  it('version speaks every format', async () => {
    expect((await runCli(['version', '-o', 'json'])).json()).toMatchObject({ apiVersion: 'cdm/v1', kind: 'Version' });
    expect((await runCli(['version', '-o', 'yaml'])).stdout).toMatch(/^apiVersion: cdm\/v1\nkind: Version\n/);
    expect(JSON.parse((await runCli(['version', '-o', 'ndjson'])).stdout).version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a group without a verb prints its help on stderr and exits 2', async () => {
    const res = await runCli(['context']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('Usage: cdm context');
  });
});

describe('main', () => {
  it('keeps stdout for data only', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (c) => { out += c; });
    const env = tempConfigEnv();
    const code = await main(['context', 'add', 'p', '--kind', 'provider'], { io: { stdin: Readable.from([]), stdout, stderr, env } });
    expect(code).toBe(0);
    // The hint to `cdm context use` went to stderr; stdout holds the TSV row only.
    expect(out.split('\n').filter((l) => l !== '').every((l) => l.includes('\t'))).toBe(true);
  });
});
