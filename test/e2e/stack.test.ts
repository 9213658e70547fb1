// `cdm stack` as a user runs it: the built binary, a detached sandbox, contexts, lock, restart.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomPortBase } from '../helpers/ports.js';
import { tempDir } from '../helpers/temp.js';

const BIN = join(import.meta.dirname, '../../bin/cdm.js');
const home = tempDir('cdm-e2e-');
const stateDir = join(home, 'sandbox');
const portBase = String(randomPortBase());
const env = { ...process.env, HOME: home, CDM_CONFIG_DIR: join(home, 'config'), CDM_STATE_DIR: join(home, 'state'), CI: '1' };

function cdm(...args: string[]) {
  return cdmIn(process.cwd(), ...args);
}

function cdmIn(cwd: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [BIN, ...args], { env, cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

afterAll(() => { cdm('stack', 'down', '--state-dir', stateDir); });

describe('cdm stack (sandbox engine)', () => {
  it('up --detach starts every service and writes working contexts', () => {
    // A relative --state-dir, as an operator types it: the contexts must hold from any directory.
    const up = cdmIn(home, 'stack', 'up', '--detach', '--state-dir', 'sandbox', '--port-base', portBase, '--tenant', 'acme', '-o', 'json');
    expect(up.code, up.stderr).toBe(0);
    const services = JSON.parse(up.stdout).items.map((s: { stack: string; service: string }) => `${s.stack}/${s.service}`);
    expect(services).toEqual(['provider/keycloak', 'provider/step-ca', 'provider/rabbitmq', 'provider/bridge', 'acme/keycloak', 'acme/step-ca', 'acme/hawkbit', 'acme/thingsboard', 'acme/bridge']);
    const status = cdm('stack', 'status', '--state-dir', stateDir, '-o', 'json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).items.every((s: { state: string }) => s.state === 'up')).toBe(true);
    const contexts = JSON.parse(cdm('context', 'list', '-o', 'json').stdout).items.map((c: { name: string }) => c.name);
    expect(contexts).toEqual(['local-provider', 'local-acme']);
    expect(cdm('auth', 'token', '--context', 'local-acme').code).toBe(0);
    expect(JSON.parse(cdm('context', 'show', 'local-acme', '-o', 'json').stdout).caFile).toBe(join(stateDir, 'tenants', 'acme', 'step-ca', 'certs', 'root_ca.crt'));
    expect(cdm('cert', 'root', '--context', 'local-acme').code).toBe(0);
    // cdm's journal (cdm audit) names the state dir the stack runs from.
    const journal = readFileSync(join(home, 'state', 'journal.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.find((e) => e.command === 'cdm stack up')).toMatchObject({ outcome: 'success', targets: [stateDir] });
  });

  it('a second up on the same state dir refuses with exit 5', () => {
    const again = cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', portBase);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('already running');
  });

  it('keeps state across down and up: the same users, keys and root', () => {
    const info1 = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8'));
    const password = readFileSync(join(stateDir, 'provider', 'operator.password'), 'utf8');
    expect(cdm('stack', 'down', '--state-dir', stateDir).code).toBe(0);
    const stopped = cdm('stack', 'status', '--state-dir', stateDir, '-o', 'json');
    expect(stopped.code).toBe(1);
    expect(JSON.parse(stopped.stdout).items.every((s: { state: string }) => s.state === 'stopped')).toBe(true);
    expect(cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', portBase).code).toBe(0);
    const info2 = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8'));
    expect(info2.stepcaFingerprints).toEqual(info1.stepcaFingerprints);
    const login = spawnSync(process.execPath, [BIN, 'auth', 'login', '--context', 'local-provider', '--username', 'operator', '--password-stdin'], { env, input: password, encoding: 'utf8' });
    expect(login.status, login.stderr).toBe(0);
  });

  it('logs show the requests', () => {
    const logs = cdm('stack', 'logs', '--state-dir', stateDir, '-n', '200', '--service', 'keycloak');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/provider keycloak POST \/realms\/cdm\/protocol\/openid-connect\/token 200/);
  });

  it('survives kill -9: committed state is kept and the stale lock is taken over', async () => {
    const info = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8'));
    const secrets = JSON.parse(readFileSync(join(stateDir, 'secrets.json'), 'utf8'));
    const rabbit = info.services.find((x: { service: string }) => x.service === 'rabbitmq').url;
    const auth = `Basic ${Buffer.from(`admin:${secrets.provider.rabbitmqAdminPassword}`).toString('base64')}`;
    const put = await fetch(`${rabbit}/api/vhosts/kill-test`, { method: 'PUT', headers: { authorization: auth } });
    expect(put.status).toBe(201);
    process.kill(info.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const up = cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', portBase);
    expect(up.code, up.stderr).toBe(0);
    const info2 = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8'));
    const rabbit2 = info2.services.find((x: { service: string }) => x.service === 'rabbitmq').url;
    expect((await fetch(`${rabbit2}/api/vhosts/kill-test`, { headers: { authorization: auth } })).status).toBe(200);
  });

  it('reset is severe: refused without --confirm, then deletes state and contexts', () => {
    const refused = cdm('stack', 'reset', '--state-dir', stateDir, '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--confirm sandbox');
    const plan = cdm('stack', 'reset', '--state-dir', stateDir, '--dry-run', '-o', 'json');
    expect(JSON.parse(plan.stdout).steps.map((s: { target: string }) => s.target)).toContain('context local-acme');
    expect(cdm('stack', 'reset', '--state-dir', stateDir, '--confirm', 'sandbox').code).toBe(0);
    expect(JSON.parse(cdm('context', 'list', '-o', 'json').stdout).items).toEqual([]);
    expect(cdm('stack', 'status', '--state-dir', stateDir).code).toBe(3);
  });

  it('bad input: exit 2, nothing started', () => {
    expect(cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', '80').code).toBe(2);
    expect(cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--tenant', 'Bad-Id').code).toBe(2);
    expect(cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--error-rate', '2').code).toBe(2);
    expect(cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--latency', '3600001').stderr).toContain('at most 3600000 (one hour)');
    expect(cdm('stack', 'down', 'tenant', '--state-dir', stateDir).code).toBe(2);
    expect(cdm('stack', 'status', '--state-dir', stateDir).code).toBe(3);
  });
});
