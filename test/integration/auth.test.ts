// `cdm auth` against the sandbox Keycloak: all three grants, refresh, logout, refusals.
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/temp.js';

let t: TestSandbox;
beforeAll(async () => { t = await startTestSandbox(); });
afterAll(async () => { await t?.close(); });

const operatorPassword = (): string => t.sandbox.secrets.provider.operatorPassword;
const keycloakUrl = (): string => t.sandbox.info.services.find((s) => s.stack === 'provider' && s.service === 'keycloak')!.url;

describe('cdm auth against the sandbox Keycloak', () => {
  it('password grant: login, status with roles, token, logout', async () => {
    const login = await runCli(['auth', 'login', '--username', 'operator', '--password-stdin', '-o', 'json'], { env: t.env, stdin: `${operatorPassword()}\n` });
    expect(login.code).toBe(0);
    const status = login.json();
    expect(status).toMatchObject({ kind: 'AuthStatus', context: 'local-provider', realm: 'cdm', user: 'operator', grant: 'password', clientId: 'cdm-cli', accessTokenValid: true });
    expect(status.roles).toEqual(expect.arrayContaining(['cdm-admin', 'platform-admin']));
    const token = await runCli(['auth', 'token'], { env: t.env });
    expect(token.stdout.trim().split('.')).toHaveLength(3);
    // The token really works: userinfo accepts it.
    const info = await fetch(`${keycloakUrl()}/realms/cdm/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${token.stdout.trim()}` } });
    expect((await info.json()).preferred_username).toBe('operator');
    const logout = await runCli(['auth', 'logout', '-o', 'json'], { env: t.env });
    expect(logout.json()).toMatchObject({ kind: 'Logout', sessionEnded: true, tokensRemoved: true });
    // The sandbox context keeps its stored client credential: the next command (status included)
    // acts as that service account, and both commands say so.
    expect(logout.stderr).toContain('The stored client credential "cdm-sandbox" still logs in by itself');
    const after = await runCli(['auth', 'status', '-o', 'json'], { env: t.env });
    expect(after.code).toBe(0);
    expect(after.json()).toMatchObject({ user: 'service-account-cdm-sandbox', grant: 'client_credentials', accessTokenValid: true });
    expect(after.stderr).toContain('Logged in with the stored client credential "cdm-sandbox"');
  });

  it('status on a context with neither a session nor a client credential is exit 4, and sends nothing', async () => {
    const add = await runCli(['context', 'add', 'bare', '--kind', 'provider', '--keycloak-url', keycloakUrl(), '--realm', 'cdm'], { env: t.env });
    expect(add.code, add.stderr).toBe(0);
    const res = await runCli(['auth', 'status', '--context', 'bare', '--verbose'], { env: t.env });
    expect(res.code).toBe(4);
    expect(res.stderr).toContain('not logged in on context "bare"');
    expect(res.stderr).not.toMatch(/^> [A-Z]+ /m);
  });

  it('wrong password is exit 4 with Keycloak\'s own words, and the password never shows', async () => {
    const res = await runCli(['auth', 'login', '--username', 'operator', '--password-stdin', '--verbose'], { env: t.env, stdin: 'hunter2-wrong\n' });
    expect(res.code).toBe(4);
    expect(res.stderr).toContain('Invalid user credentials');
    expect(res.stderr).toContain('[REDACTED]');
    expect(res.stderr).not.toContain('hunter2-wrong');
  });

  it('a scope the client does not have is refused by Keycloak, named in its words', async () => {
    const res = await runCli(['auth', 'login', '--username', 'operator', '--password-stdin', '--scope', 'tpyo'], { env: t.env, stdin: `${operatorPassword()}\n` });
    expect(res.code).toBe(4);
    expect(res.stderr).toContain('Invalid scopes: openid tpyo');
  });

  it('client credentials grant: login and refresh by re-running the grant', async () => {
    const secret = t.sandbox.secrets.provider.sandboxClientSecret;
    const res = await runCli(['auth', 'login', '--client-id', 'cdm-sandbox', '--client-secret-stdin', '-o', 'json'], { env: t.env, stdin: secret });
    expect(res.code).toBe(0);
    expect(res.json()).toMatchObject({ grant: 'client_credentials', user: 'service-account-cdm-sandbox' });
    // Every login asks for openid: Keycloak answers userinfo (and so the provider bridge's prepare) only then.
    const cc = (await runCli(['auth', 'token'], { env: t.env })).stdout.trim();
    expect((await fetch(`${keycloakUrl()}/realms/cdm/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${cc}` } })).status).toBe(200);
    // Expire the stored token: the next `auth token` must obtain a new one by itself.
    const file = `${t.env.CDM_CONFIG_DIR}/credentials.json`;
    const before = JSON.parse(readFileSync(file, 'utf8'));
    const old = before.contexts['local-provider'].oidc.accessToken;
    const later = Date.now() + 10 * 60_000;
    const token = await runCli(['auth', 'token'], { env: t.env });
    expect(token.stdout.trim()).toBe(old);
    const refreshed = await runCliAt(['auth', 'token'], later);
    expect(refreshed.trim()).not.toBe(old);
    const bad = await runCli(['auth', 'login', '--client-id', 'cdm-sandbox', '--client-secret-stdin'], { env: t.env, stdin: 'not-the-secret' });
    expect(bad.code).toBe(4);
  });

  it('refresh token grant: an expiring password session is refreshed ahead of expiry', async () => {
    await runCli(['auth', 'login', '--username', 'operator', '--password-stdin'], { env: t.env, stdin: operatorPassword() });
    const first = (await runCli(['auth', 'token'], { env: t.env })).stdout.trim();
    const second = (await runCliAt(['auth', 'token'], Date.now() + 290_000)).trim();
    expect(second).not.toBe(first);
    const status = await runCli(['auth', 'status', '-o', 'json'], { env: t.env });
    expect(status.json().grant).toBe('password');
  });

  it('device authorization grant: prints the code, waits for approval in the browser page', async () => {
    const stderr = new PassThrough();
    const stdout = new PassThrough();
    let err = '';
    stderr.on('data', (c) => { err += c; });
    stdout.resume();
    const approved = (async () => {
      while (!/code: (\S+)/.test(err)) await new Promise((r) => setTimeout(r, 20));
      const userCode = /code: (\S+)/.exec(err)![1]!;
      const form = new URLSearchParams({ user_code: userCode, username: 'operator', password: operatorPassword(), action: 'approve' });
      const res = await fetch(`${keycloakUrl()}/realms/cdm/device`, { method: 'POST', body: form });
      expect(res.status).toBe(200);
    })();
    const code = await main(['auth', 'login', '--device'], {
      io: { stdin: Readable.from([]), stdout, stderr, env: t.env },
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))),
    });
    await approved;
    expect(code).toBe(0);
    expect(err).toContain('/realms/cdm/device');
    const status = await runCli(['auth', 'status', '-o', 'json'], { env: t.env });
    expect(status.json()).toMatchObject({ grant: 'device_code', user: 'operator' });
    const token = (await runCli(['auth', 'token'], { env: t.env })).stdout.trim();
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).scope.split(' ')).toContain('openid');
  });

  it('device grant denied in the browser: exit 4', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c) => { err += c; });
    const denied = (async () => {
      while (!/code: (\S+)/.test(err)) await new Promise((r) => setTimeout(r, 20));
      const userCode = /code: (\S+)/.exec(err)![1]!;
      await fetch(`${keycloakUrl()}/realms/cdm/device`, { method: 'POST', body: new URLSearchParams({ user_code: userCode, username: 'operator', password: operatorPassword(), action: 'deny' }) });
    })();
    const code = await main(['auth', 'login', '--device'], { io: { stdin: Readable.from([]), stdout: new PassThrough(), stderr, env: t.env }, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))) });
    await denied;
    expect(code).toBe(4);
    expect(err).toContain('denied');
  });

  it('a stored client credential (written by stack up) logs in by itself', async () => {
    await runCli(['auth', 'logout'], { env: t.env, stdin: '' });
    const token = await runCli(['auth', 'token', '--context', 'local-acme'], { env: t.env });
    expect(token.code).toBe(0);
    const claims = JSON.parse(Buffer.from(token.stdout.trim().split('.')[1]!, 'base64url').toString());
    expect(claims.iss).toMatch(/\/realms\/acme$/);
    expect(claims.scope.split(' ')).toContain('openid');
  });

  it('a realm that does not exist is exit 3 naming both URL forms tried', async () => {
    await runCli(['context', 'add', 'ghost', '--kind', 'provider', '--keycloak-url', keycloakUrl(), '--realm', 'ghost'], { env: t.env });
    const res = await runCli(['auth', 'login', '--context', 'ghost', '--username', 'x', '--password-stdin'], { env: t.env, stdin: 'pw' });
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('/auth/realms/ghost');
  });
});

describe('one session per command', () => {
  it('concurrent requests of a bulk command share one login', async () => {
    const { join } = await import('node:path');
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir('cdm-session-');
    const csv = join(dir, 'devices.csv');
    writeFileSync(csv, ['id', ...Array.from({ length: 12 }, (_, i) => `shared-${i}`)].join('\n'));
    // No stored tokens: the command logs in by itself with the sandbox's client credential.
    expect((await runCli(['auth', 'logout', '--context', 'local-acme'], { env: t.env })).code).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    const logBefore = readFileSync(join(t.stateDir, 'sandbox.log'), 'utf8').length;
    const res = await runCli(['device', 'enroll', '--from-file', csv, '--out', join(dir, 'out'), '--concurrency', '12', '--context', 'local-acme', '--verbose'], { env: t.env });
    expect(res.code).toBe(0);
    const log = (): string[] => readFileSync(join(t.stateDir, 'sandbox.log'), 'utf8').slice(logBefore).split('\n');
    // The request log is written asynchronously.
    await expect.poll(() => log().filter((l) => / \/devices\/shared-\d+\/enroll 200$/.test(l)).length).toBe(12);
    expect(log().filter((l) => l.includes(' /realms/acme/protocol/openid-connect/token '))).toHaveLength(1);
  });

  it('a sandbox context has no client-side rate limit; CDM_RATE_LIMIT still sets one', async () => {
    const shown = await runCli(['context', 'show', 'local-acme', '-o', 'json'], { env: t.env });
    expect(shown.json()).toMatchObject({ name: 'local-acme', defaults: { rateLimit: 0 } });
    const { join } = await import('node:path');
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir('cdm-ratelimit-');
    const csv = join(dir, 'devices.csv');
    writeFileSync(csv, ['id', ...Array.from({ length: 4 }, (_, i) => `limited-${i}`)].join('\n'));
    const res = await runCli(['device', 'enroll', '--from-file', csv, '--out', join(dir, 'out'), '--concurrency', '4', '--context', 'local-acme', '--verbose'], { env: { ...t.env, CDM_RATE_LIMIT: '2' } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/client rate limit: waited \d+ ms/);
  });
});

/** Runs the CLI with a clock moved forward (token expiry without waiting). */
async function runCliAt(argv: string[], nowMs: number): Promise<string> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c) => { out += c; });
  const code = await main(argv, { io: { stdin: Readable.from([]), stdout, stderr: new PassThrough(), env: t.env }, clock: () => nowMs });
  expect(code).toBe(0);
  return out;
}
