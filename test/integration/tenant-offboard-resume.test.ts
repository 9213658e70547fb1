// `cdm tenant offboard` with a failure injected at each step in turn, then resumed.
// test/integration/tenant.test.ts already covers the RabbitMQ steps (a wrong RabbitMQ password
// fails delete-rabbitmq-user and delete-rabbitmq-vhost together); this file covers the other three:
//   revoke-sub-ca            — the context's step-ca provisioner password is wrong
//   delete-federation-client — the context's Keycloak URL goes through a proxy that refuses DELETE
//   mark-removed             — the context's bridge URL goes through a proxy that refuses DELETE
// Every other step finishes in the failing run, the command exits 6 naming how to resume, and the
// resumed run does only the failed step and skips the rest.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultProxy } from '../helpers/fault-proxy.js';
import { runCli, type RunResult } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import type { OffboardStepName } from '../../src/workflows/tenant/offboard.js';

let t: TestSandbox;
const TENANTS = ['acme', 'beta', 'gamma'];
beforeAll(async () => {
  t = await startTestSandbox({ tenants: TENANTS });
  for (const id of TENANTS) {
    const r = await runCli(['tenant', 'onboard', id, '--provider-context', 'local-provider', '--tenant-context', `local-${id}`, '-o', 'json'], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);
afterAll(async () => { await t?.close(); });

const provider = (args: string[], stdin?: string): Promise<RunResult> =>
  runCli([...args, '--context', 'local-provider'], { env: t.env, ...(stdin !== undefined ? { stdin } : {}) });
const configFile = (): string => join(t.env.CDM_CONFIG_DIR!, 'config.json');

/** Points a service of local-provider elsewhere; returns the undo. */
function rewire(service: 'keycloak' | 'bridge', url: string): () => void {
  const original = readFileSync(configFile(), 'utf8');
  const doc = JSON.parse(original);
  doc.contexts['local-provider'][service].url = url;
  writeFileSync(configFile(), JSON.stringify(doc));
  return () => writeFileSync(configFile(), original);
}

interface Case {
  step: OffboardStepName;
  tenant: string;
  /** Injects the fault; returns the undo. */
  inject(): Promise<() => Promise<void>>;
  /** Outcome of the failed step when resumed. */
  resumed: string;
}

const serviceUrl = (service: string): string => t.sandbox.info.services.find((s) => s.stack === 'provider' && s.service === service)!.url;

const CASES: Case[] = [
  {
    step: 'revoke-sub-ca', tenant: 'acme', resumed: 'done',
    async inject() {
      const good = t.sandbox.secrets.provider.provisionerPassword;
      expect((await provider(['auth', 'set-credential', 'stepca', '--username', 'tenant-sub-ca-signer'], 'not-the-password')).code).toBe(0);
      return async () => { expect((await provider(['auth', 'set-credential', 'stepca', '--username', 'tenant-sub-ca-signer'], good)).code).toBe(0); };
    },
  },
  {
    step: 'delete-federation-client', tenant: 'beta', resumed: 'done',
    async inject() {
      // A valid session first, so only the admin call goes through the proxy's refusal.
      expect((await provider(['auth', 'token'])).code).toBe(0);
      const p = await faultProxy(serviceUrl('keycloak'), (m, path) => m === 'DELETE' && /\/admin\/realms\/cdm\/clients\//.test(path));
      const undo = rewire('keycloak', p.url);
      return async () => { undo(); expect(p.refused.length).toBeGreaterThan(0); await p.close(); };
    },
  },
  {
    step: 'mark-removed', tenant: 'gamma', resumed: 'done',
    async inject() {
      const p = await faultProxy(serviceUrl('bridge'), (m, path) => m === 'DELETE' && /\/portal\/admin\/tenants\//.test(path));
      const undo = rewire('bridge', p.url);
      return async () => { undo(); expect(p.refused.length).toBeGreaterThan(0); await p.close(); };
    },
  },
];

const outcomes = (r: RunResult): string[] => r.json().steps.map((s: { step: string; outcome: string }) => `${s.step}:${s.outcome}`);

describe('offboard: a failure at each step, then resume', () => {
  it.each(CASES)('$step fails ($tenant): exit 6, the rest finishes; the resumed run does only $step', async (c) => {
    const id = c.tenant;
    const steps: OffboardStepName[] = ['revoke-sub-ca', 'delete-rabbitmq-user', 'delete-rabbitmq-vhost', 'delete-federation-client', 'mark-removed'];
    const undo = await c.inject();
    let first: RunResult;
    try {
      first = await provider(['tenant', 'offboard', id, '--confirm', id, '-o', 'json']);
    } finally {
      await undo();
    }
    expect(first.code, first.stderr).toBe(6);
    expect(first.stderr).toContain(`resume with: cdm tenant offboard ${id} --confirm ${id} --context local-provider`);
    expect(outcomes(first)).toEqual(steps.map((s) => `${s}:${s === c.step ? 'failed' : 'done'}`));
    const failed = first.json().steps.find((s: { step: string }) => s.step === c.step);
    expect(failed.detail).toBeTruthy();

    // The plan names what an earlier run finished.
    const plan = await provider(['tenant', 'offboard', id, '--dry-run', '-o', 'json']);
    expect(plan.code).toBe(0);
    expect(plan.json().steps.map((s: { action: string }) => s.action.startsWith('skip'))).toEqual(steps.map((s) => s !== c.step));

    const resumed = await provider(['tenant', 'offboard', id, '--confirm', id, '-o', 'json']);
    expect(resumed.stderr).not.toContain('failed');
    expect(resumed.code).toBe(0);
    expect(outcomes(resumed)).toEqual(steps.map((s) => `${s}:${s === c.step ? c.resumed : 'skipped'}`));

    const show = await provider(['tenant', 'show', id, '-o', 'json']);
    expect(show.json()).toMatchObject({ joinState: 'removed', keycloak: { present: false }, rabbitmq: { vhostPresent: false, userPresent: false } });
  });
});
