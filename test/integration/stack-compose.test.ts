// `cdm stack … --engine compose` without a Docker engine: a fake `docker` first on PATH records
// every call and plays back `docker compose ps` health states, while the bootstrap talks to the
// in-process sandbox as if it were the containers (the env file points the service URLs at the
// sandbox's ports and carries its admin passwords). No real container runs here.
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeDocker, psEntries, type FakeDocker } from '../helpers/fake-docker.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const PROVIDER_SERVICES = ['timescaledb', 'keycloak', 'step-ca', 'rabbitmq', 'grafana', 'iot-bridge-api'];
const TENANT_SERVICES = ['timescaledb', 'keycloak', 'step-ca', 'thingsboard', 'hawkbit', 'wireguard', 'grafana', 'iot-bridge-api'];
const WRITES = /^\S+ (\S+) (\S+) (POST|PUT|DELETE|PATCH) (\S+) /;

function states(services: string[], health: string): Record<string, string> {
  return { ...Object.fromEntries(services.map((s) => [s, health])), 'step-ca-init': health === 'healthy' ? 'exited:0' : 'exited:0' };
}

let sb: TestSandbox;
let docker: FakeDocker;
let env: NodeJS.ProcessEnv;
let stateDir: string;

const url = (stack: string, service: string): string => sb.sandbox.info.services.find((s) => s.stack === stack && s.service === service)!.url;
const port = (stack: string, service: string): string => new URL(url(stack, service)).port;
const rootOf = (stack: string): string => join(sb.stateDir, stack === 'provider' ? 'provider' : join('tenants', stack), 'step-ca', 'certs', 'root_ca.crt');

/** Requests that change state, from the sandbox's request log (token requests are logins, not changes). */
function writesSince(offset: number): string[] {
  return readFileSync(join(sb.stateDir, 'sandbox.log'), 'utf8').slice(offset).split('\n')
    .filter((l) => WRITES.test(l) && !/\/protocol\/openid-connect\/token |\/api\/auth\/login /.test(l));
}
const logSize = (): number => statSync(join(sb.stateDir, 'sandbox.log')).size;

function writeEnv(dir: string, values: Record<string, string>): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, '.env'), Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
}

beforeAll(async () => {
  sb = await startTestSandbox({ tenants: ['acme'] });
  stateDir = join(sb.env.HOME!, 'compose');
  docker = installFakeDocker({
    ps: {
      'cdm-provider': [psEntries(states(PROVIDER_SERVICES, 'starting')), psEntries(states(PROVIDER_SERVICES, 'healthy'))],
      'cdm-tenant-acme': [psEntries(states(TENANT_SERVICES, 'starting')), psEntries(states(TENANT_SERVICES, 'healthy'))],
    },
    exec: { 'cdm-provider': { 'step-ca': rootOf('provider') }, 'cdm-tenant-acme': { 'step-ca': rootOf('acme') } },
    logs: 'keycloak-1  | Keycloak 26.3.3 started\n',
  });
  env = { ...sb.env, ...docker.env };
  const s = sb.sandbox.secrets;
  // Overrides an operator could make in the env file; everything else cdm fills in (secrets too).
  writeEnv(join(stateDir, 'provider'), {
    KC_PUBLIC_URL: url('provider', 'keycloak'), KC_ADMIN_USER: 'admin', KC_ADMIN_PASSWORD: s.provider.keycloakAdminPassword,
    STEP_CA_PORT: port('provider', 'step-ca'), RABBITMQ_MGMT_PORT: port('provider', 'rabbitmq'),
    RABBITMQ_ADMIN_USER: 'admin', RABBITMQ_ADMIN_PASSWORD: s.provider.rabbitmqAdminPassword,
  });
  const t = s.tenants['acme']!;
  writeEnv(join(stateDir, 'tenant-acme'), {
    KC_PUBLIC_URL: url('acme', 'keycloak'), KC_ADMIN_USER: 'admin', KC_ADMIN_PASSWORD: t.keycloakAdminPassword,
    STEP_CA_PORT: port('acme', 'step-ca'), HAWKBIT_PORT: port('acme', 'hawkbit'), HB_ADMIN_PASSWORD: t.hawkbitPassword,
    TB_PORT: port('acme', 'thingsboard'), TB_TENANT_ADMIN_EMAIL: 'tenant-admin@acme.example.com', TB_TENANT_ADMIN_PASSWORD: t.thingsboardPassword,
  });
}, 60_000);

afterAll(async () => { await sb?.close(); });

describe('cdm stack up --engine compose (fake docker, sandbox as the containers)', () => {
  let firstActions: Array<{ stack: string; service: string; target: string; outcome: string }> = [];

  it('runs compose up, waits for health, bootstraps every service and writes the contexts', async () => {
    const res = await runCli(['stack', 'up', '--engine', 'compose', 'all', '--tenant', 'acme', '--state-dir', stateDir, '-o', 'json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const items = res.json().items as Array<{ stack: string; context: string; actions: typeof firstActions }>;
    expect(items.map((i) => i.context)).toEqual(['compose-provider', 'compose-acme']);
    firstActions = items.flatMap((i) => i.actions);
    const outcome = (stack: string, target: string): string | undefined => firstActions.find((a) => a.stack === stack && a.target === target)?.outcome;
    expect(outcome('provider', 'client cdm-automation')).toBe('created');
    expect(outcome('provider', 'client grafana')).toBe('created');
    expect(outcome('provider', 'provisioner tenant-sub-ca-signer')).toBe('present');
    // The broker loads the CDM definitions at boot (load_definitions), so the vhost is found, not created.
    expect(outcome('provider', 'vhost cdm-metrics')).toBe('unchanged');
    expect(outcome('acme', 'client iot-bridge')).toBe('created');
    expect(outcome('acme', 'software module type rauc-bundle')).toBe('created');
    expect(outcome('acme', 'distribution set type cdm-rauc')).toBe('created');
    // The sandbox seeds cdm-x509 (as upstream's provision.sh would have): found, not created.
    // Its creation, and the sysadmin/tenant path, are covered against a fake in test/unit/stack.
    expect(outcome('acme', 'device profile cdm-x509')).toBe('unchanged');
    expect(outcome('acme', 'config authentication.targettoken.enabled')).toBe('unchanged'); // on in the sandbox already
    // The health wait is visible on stderr (milestone lines when not a terminal).
    expect(res.stderr).toMatch(/cdm-provider: 6 services healthy|cdm-provider: 7 services healthy/);
  }, 60_000);

  it('drove docker as documented: v2 check, daemon check, up -d with the project and env file, ps until healthy, root from step-ca', () => {
    const calls = docker.calls();
    expect(calls[0]).toEqual(['compose', 'version', '--short']);
    expect(calls[1]).toEqual(['version', '--format', '{{.Server.Version}}']);
    const up = calls.find((c) => c.includes('up'))!;
    expect(up).toEqual(expect.arrayContaining(['--project-name', 'cdm-provider', '--env-file', join(stateDir, 'provider', '.env'), 'up', '-d']));
    expect(up[up.indexOf('-f') + 1]).toMatch(/stacks\/provider\/compose\.yaml$/);
    expect(calls.filter((c) => c.includes('ps') && c.includes('cdm-provider')).length).toBeGreaterThanOrEqual(2);
    expect(calls).toContainEqual(expect.arrayContaining(['cdm-tenant-acme', 'exec', '-T', 'step-ca', 'cat', '/home/step/certs/root_ca.crt']));
  });

  it('keeps the env file 0600, generated the secrets it lacked and kept the overrides', () => {
    const file = join(stateDir, 'provider', '.env');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^CDM_AUTOMATION_SECRET=[A-Za-z0-9_-]{32}$/m);
    expect(text).toMatch(/^GRAFANA_OIDC_SECRET=[A-Za-z0-9_-]{32}$/m);
    expect(text).toContain(`RABBITMQ_ADMIN_PASSWORD=${sb.sandbox.secrets.provider.rabbitmqAdminPassword}`);
    expect(readFileSync(join(stateDir, 'tenant-acme', '.env'), 'utf8')).toMatch(/^TENANT_ID=acme$/m);
  });

  it('writes contexts that work: the automation client logs in, pinned to the stack root', async () => {
    const token = await runCli(['auth', 'token', '--context', 'compose-provider'], { env });
    expect(token.code, token.stderr).toBe(0);
    const ctx = (await runCli(['context', 'show', 'compose-acme', '-o', 'json'], { env })).json();
    expect(ctx.stepca.fingerprint).toBe(sb.sandbox.info.stepcaFingerprints['acme']);
    expect(ctx.hawkbit.url).toBe(url('acme', 'hawkbit'));
    expect((await runCli(['auth', 'token', '--context', 'compose-acme'], { env })).code).toBe(0);
  });

  it('is idempotent: a second up reports every object unchanged and sends no creating request', async () => {
    const before = logSize();
    const res = await runCli(['stack', 'up', '--engine', 'compose', 'all', '--tenant', 'acme', '--state-dir', stateDir, '-o', 'json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const actions = (res.json().items as Array<{ actions: typeof firstActions }>).flatMap((i) => i.actions);
    expect(actions.length).toBe(firstActions.length);
    expect(actions.filter((a) => a.outcome === 'created' || a.outcome === 'updated')).toEqual([]);
    expect(writesSince(before)).toEqual([]);
  }, 60_000);

  it('status shows every service ready; logs pass docker compose logs through; down stops without deleting', async () => {
    const status = await runCli(['stack', 'status', '--engine', 'compose', '--state-dir', stateDir, '-o', 'json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const rows = status.json().items as Array<{ stack: string; service: string; ready: boolean }>;
    expect(rows.filter((r) => r.stack === 'acme').map((r) => r.service)).toContain('hawkbit');
    expect(rows.every((r) => r.ready)).toBe(true);

    const logs = await runCli(['stack', 'logs', '--engine', 'compose', 'provider', '--service', 'keycloak', '-n', '5', '--state-dir', stateDir], { env });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('Keycloak 26.3.3 started');
    expect(docker.calls()).toContainEqual(expect.arrayContaining(['cdm-provider', 'logs', '--tail', '5', 'keycloak']));

    const down = await runCli(['stack', 'down', '--engine', 'compose', 'tenant', '--state-dir', stateDir], { env });
    expect(down.code, down.stderr).toBe(0);
    const downs = docker.calls().filter((c) => c.includes('down'));
    expect(downs).toHaveLength(1);
    expect(downs[0]).toEqual(expect.arrayContaining(['cdm-tenant-acme', 'down']));
    expect(downs[0]).not.toContain('--volumes');
    expect(existsSync(join(stateDir, 'tenant-acme', '.env'))).toBe(true);
  }, 30_000);

  it('reset is severe: refused without --confirm, then compose down --volumes, state and contexts gone', async () => {
    const refused = await runCli(['stack', 'reset', '--engine', 'compose', '--state-dir', stateDir, '--yes'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--confirm compose');
    expect(docker.calls().some((c) => c.includes('--volumes'))).toBe(false);
    const reset = await runCli(['stack', 'reset', '--engine', 'compose', '--state-dir', stateDir, '--confirm', 'compose'], { env });
    expect(reset.code, reset.stderr).toBe(0);
    expect(docker.calls().filter((c) => c.includes('--volumes')).map((c) => c[c.indexOf('--project-name') + 1])).toEqual(['cdm-provider', 'cdm-tenant-acme']);
    expect(existsSync(stateDir)).toBe(false);
    const names = (await runCli(['context', 'list', '-o', 'json'], { env })).json().items.map((c: { name: string }) => c.name);
    expect(names).not.toContain('compose-provider');
    expect(names).not.toContain('compose-acme');
  }, 30_000);
});

describe('cdm stack up --engine compose: refusals', () => {
  it('names the failing service when a health check turns unhealthy (exit 1, no bootstrap)', async () => {
    const d = installFakeDocker({ ps: { 'cdm-provider': [psEntries(states(PROVIDER_SERVICES, 'starting')), psEntries({ ...states(PROVIDER_SERVICES, 'starting'), keycloak: 'unhealthy' })] } });
    const dir = join(sb.env.HOME!, 'compose-unhealthy');
    const res = await runCli(['stack', 'up', '--engine', 'compose', 'provider', '--state-dir', dir], { env: { ...sb.env, ...d.env } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('cdm-provider: service keycloak is unhealthy');
    expect(d.calls().some((c) => c.includes('exec'))).toBe(false);
  }, 30_000);

  it('names a failed one-shot init by its exit code', async () => {
    const d = installFakeDocker({ ps: { 'cdm-provider': [psEntries({ ...states(PROVIDER_SERVICES, 'starting'), 'step-ca-init': 'exited:1' })] } });
    const res = await runCli(['stack', 'up', '--engine', 'compose', 'provider', '--state-dir', join(sb.env.HOME!, 'compose-init')], { env: { ...sb.env, ...d.env } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('service step-ca-init exited with code 1');
  }, 30_000);

  it('without docker on PATH: exit 1 saying what to install, nothing written', async () => {
    const dir = join(sb.env.HOME!, 'compose-nodocker');
    const res = await runCli(['stack', 'up', '--engine', 'compose', 'provider', '--state-dir', dir], { env: { ...sb.env, PATH: '/nonexistent' } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/docker was not found on PATH[\s\S]*docker-compose-plugin/);
    expect(existsSync(dir)).toBe(false);
  });

  it('with docker but no Compose v2 plugin: exit 1 naming the package', async () => {
    const d = installFakeDocker({ compose: false });
    const res = await runCli(['stack', 'up', '--engine', 'compose', 'provider', '--state-dir', join(sb.env.HOME!, 'compose-nov2')], { env: { ...sb.env, ...d.env } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Docker Compose v2 is not installed[\s\S]*docker-compose-plugin/);
  });

  it('with the daemon down: exit 1 telling to start it', async () => {
    const d = installFakeDocker({ daemon: false });
    const res = await runCli(['stack', 'status', '--engine', 'compose', '--state-dir', join(sb.env.HOME!, 'compose-unhealthy')], { env: { ...sb.env, ...d.env } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Docker daemon is not reachable/);
  });

  it('--dry-run plans the compose stacks and runs no docker command', async () => {
    const d = installFakeDocker({});
    const res = await runCli(['stack', 'up', '--engine', 'compose', 'tenant', '--tenant', 'globex', '--state-dir', join(sb.env.HOME!, 'compose-dry'), '--dry-run', '-o', 'json'], { env: { ...sb.env, ...d.env } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.json().steps.map((s: { action: string }) => s.action)).toContain('docker compose up -d');
    expect(d.calls()).toEqual([]);
  });
});
