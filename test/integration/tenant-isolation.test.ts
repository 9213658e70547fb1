// Tenant isolation in the sandbox: a token of tenant acme's realm is refused by globex's services
// (bridge device API, Keycloak admin API), and acme's context never shows globex's devices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type RunResult } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
const url = (stack: string, service: string): string => t.sandbox.info.services.find((s) => s.stack === stack && s.service === service)!.url;
const cli = (args: string[]): Promise<RunResult> => runCli(args, { env: t.env });
const simulate = (tenant: string, n: number): Promise<RunResult> =>
  cli(['stack', 'simulate', '--tenant', tenant, '--devices', String(n), '--poll', '200ms', '--seed', '3', '--state-dir', t.stateDir]);

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function deviceIds(context: string): Promise<string[]> {
  const r = await cli(['device', 'list', '--all', '-o', 'json', '--context', context]);
  expect(r.code, r.stderr).toBe(0);
  return (r.json().items as Array<{ id: string }>).map((d) => d.id).sort();
}

beforeAll(async () => {
  t = await startTestSandbox({ tenants: ['acme', 'globex'] });
  for (const [tenant, n] of [['acme', 3], ['globex', 2]] as const) {
    const sim = await simulate(tenant, n);
    expect(sim.code, sim.stderr).toBe(0);
  }
  // Both fleets are enrolled and known to their own stack.
  await until('both fleets', async () => ((await deviceIds('local-acme')).length === 3 && (await deviceIds('local-globex')).length === 2 ? true : undefined));
}, 60_000);
afterAll(async () => {
  for (const tenant of ['acme', 'globex']) await cli(['stack', 'simulate', '--tenant', tenant, '--stop', '--state-dir', t.stateDir]);
  await t?.close();
});

describe('tenant isolation', () => {
  it('a token of realm acme is refused by globex\'s bridge and Keycloak admin API, accepted by acme\'s', async () => {
    const tok = await cli(['auth', 'token', '--context', 'local-acme']);
    expect(tok.code, tok.stderr).toBe(0);
    const bearer = { authorization: `Bearer ${tok.stdout.trim()}` };

    // Positive controls: the same token works on acme's own services.
    expect((await fetch(`${url('acme', 'bridge')}/devices`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${url('acme', 'keycloak')}/admin/realms/acme/clients`, { headers: bearer })).status).toBe(200);

    const bridge = await fetch(`${url('globex', 'bridge')}/devices`, { headers: bearer });
    expect([401, 403]).toContain(bridge.status);
    expect(await bridge.text()).not.toMatch(/sim-globex-/);
    const one = await fetch(`${url('globex', 'bridge')}/devices/sim-globex-0001`, { headers: bearer });
    expect([401, 403]).toContain(one.status);
    const kc = await fetch(`${url('globex', 'keycloak')}/admin/realms/globex/clients`, { headers: bearer });
    expect([401, 403]).toContain(kc.status);
    expect(await kc.text()).not.toMatch(/cdm-sandbox/);
    // Nor is it an admin token of the provider realm.
    const provider = await fetch(`${url('provider', 'keycloak')}/admin/realms/cdm/clients`, { headers: bearer });
    expect([401, 403]).toContain(provider.status);
  });

  it('through cdm, each context sees only its own tenant\'s devices', async () => {
    const acme = await deviceIds('local-acme');
    expect(acme).toHaveLength(3);
    for (const id of acme) expect(id).toMatch(/^sim-acme-/);
    const globex = await deviceIds('local-globex');
    expect(globex).toHaveLength(2);
    for (const id of globex) expect(id).toMatch(/^sim-globex-/);

    // Naming globex's device through acme's context finds nothing there (exit 3), and says nothing of globex.
    const show = await cli(['device', 'show', globex[0]!, '--context', 'local-acme', '-o', 'json']);
    expect(show.code).toBe(3);
    expect(show.stdout).not.toMatch(/sim-globex-/);
    const health = await cli(['device', 'health', '--context', 'local-acme', '-o', 'json']);
    expect(health.stdout).not.toMatch(/sim-globex-/);
  });
});
