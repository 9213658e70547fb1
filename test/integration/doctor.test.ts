// `cdm doctor` against the in-process sandbox: both contexts pass; a wrong fingerprint, a deleted
// vhost of a joined tenant, a wrong credential and a service that is down fail with their fix.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinPayload } from '../helpers/bridge-csr.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => { t = await startTestSandbox(); }, 30_000);
afterAll(async () => { await t?.close(); });

const url = (stack: string, service: string): string => t.sandbox.info.services.find((s) => s.stack === stack && s.service === service)!.url;
const doctor = async (context: string, extra: string[] = []): Promise<{ code: number; doc: any; stderr: string }> => {
  const r = await runCli(['doctor', '--context', context, '-o', 'json', ...extra], { env: t.env });
  return { code: r.code, doc: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
};
const check = (doc: any, service: string, name: string): any => doc.checks.find((c: any) => c.service === service && c.check === name);

/** A copy of a context under another name, edited; credentials copied along. */
function cloneContext(from: string, to: string, edit: (ctx: any) => void, editCreds?: (c: any) => void): void {
  const cfg = join(t.env.CDM_CONFIG_DIR!, 'config.json');
  const doc = JSON.parse(readFileSync(cfg, 'utf8'));
  const ctx = JSON.parse(JSON.stringify(doc.contexts[from]));
  edit(ctx);
  doc.contexts[to] = ctx;
  writeFileSync(cfg, JSON.stringify(doc));
  const credsFile = join(t.env.CDM_CONFIG_DIR!, 'credentials.json');
  const creds = JSON.parse(readFileSync(credsFile, 'utf8'));
  const entry = JSON.parse(JSON.stringify(creds.contexts[from]));
  delete entry.oidc;
  editCreds?.(entry);
  creds.contexts[to] = entry;
  writeFileSync(credsFile, JSON.stringify(creds), { mode: 0o600 });
}

describe('cdm doctor', () => {
  it('passes on local-provider and local-acme, every service checked', async () => {
    const p = await doctor('local-provider');
    expect(p.code, JSON.stringify(p.doc?.checks.filter((c: any) => c.status === 'fail'))).toBe(0);
    expect(p.doc).toMatchObject({ apiVersion: 'cdm/v1', kind: 'DoctorReport', context: 'local-provider', healthy: true, failed: 0 });
    const services = new Set(p.doc.checks.map((c: any) => c.service));
    expect([...services].sort()).toEqual(['bridge', 'keycloak', 'rabbitmq', 'step-ca']);
    for (const name of ['root fingerprint', 'TLS chain', 'provisioner iot-bridge', 'provisioner tenant-sub-ca-signer', 'auth works', 'clock skew', 'version']) {
      expect(check(p.doc, 'step-ca', name)?.status, name).toBe('pass');
    }
    expect(check(p.doc, 'rabbitmq', 'auth works').status).toBe('pass');
    expect(check(p.doc, 'keycloak', 'auth works').status).toBe('pass');
    // The provider RabbitMQ loads the CDM definitions (the MQTT default vhost among them), as deployed.
    expect(check(p.doc, 'rabbitmq', 'vhost cdm-metrics').status).toBe('pass');

    const a = await doctor('local-acme');
    expect(a.code, JSON.stringify(a.doc?.checks.filter((c: any) => c.status === 'fail'))).toBe(0);
    expect(check(a.doc, 'hawkbit', 'software module type os').status).toBe('pass');
    expect(check(a.doc, 'thingsboard', 'device profile cdm-x509').status).toBe('pass');
    // A standalone tenant has not joined: the IdP is a warning with its fix, not a failure.
    expect(check(a.doc, 'keycloak', 'identity provider cdm-provider')).toMatchObject({ status: 'warn', fix: expect.stringContaining('join') });

    const table = await runCli(['doctor', '--context', 'local-acme'], { env: t.env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/step-ca\troot fingerprint\tpass/);
    // One warning is "1 warning", not "1 warning(s)".
    expect(table.stderr).toMatch(/Context local-acme: \d+ checks, 1 warning, no failure\./);
  }, 30_000);

  it('fails with the fix on a context whose fingerprint is not the CA root', async () => {
    cloneContext('local-acme', 'wrong-fp', (c) => { c.stepca.fingerprint = 'ab'.repeat(32); });
    const r = await doctor('wrong-fp');
    expect(r.code).toBe(1);
    expect(r.doc.healthy).toBe(false);
    expect(check(r.doc, 'step-ca', 'root fingerprint')).toMatchObject({ status: 'fail', detail: expect.stringContaining('abababab'), fix: expect.stringContaining('--stepca-fingerprint') });
    expect(JSON.parse(r.stderr).error.message).toMatch(/step-ca root fingerprint/);
    // As a table: the row says fail, the fix follows on stderr.
    const table = await runCli(['doctor', '--context', 'wrong-fp'], { env: t.env });
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/step-ca\troot fingerprint\tfail\t/);
    expect(table.stderr).toMatch(/FAIL step-ca root fingerprint: .*--stepca-fingerprint/);
    const wide = await runCli(['doctor', '--context', 'wrong-fp', '-o', 'wide'], { env: t.env });
    expect(wide.stdout).toMatch(/root fingerprint\tfail\t[^\t]+\t.*--stepca-fingerprint/);
  }, 30_000);

  it('fails on a wrong credential and on a service that is down, and goes on with the rest', async () => {
    cloneContext('local-acme', 'broken', (c) => { c.thingsboard.url = 'http://127.0.0.1:1'; }, (e) => { e.services.hawkbit.secret = 'wrong'; });
    const r = await doctor('broken');
    expect(r.code).toBe(1);
    expect(check(r.doc, 'thingsboard', 'reachable')).toMatchObject({ status: 'fail', fix: expect.stringContaining('127.0.0.1:1') });
    expect(check(r.doc, 'hawkbit', 'auth works')).toMatchObject({ status: 'fail', fix: expect.stringContaining('cdm auth set-credential hawkbit') });
    expect(check(r.doc, 'step-ca', 'root fingerprint').status).toBe('pass');
  }, 30_000);

  it('fails a cdm-provider IdP without the provider\'s endpoints (what init-sub-ca.sh creates): it cannot broker a login', async () => {
    const kc = url('acme', 'keycloak');
    const tok = await (await fetch(`${kc}/realms/acme/protocol/openid-connect/token`, {
      method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cdm-sandbox', client_secret: t.sandbox.secrets.tenants.acme!.sandboxClientSecret }),
    })).json() as { access_token: string };
    const rep = { alias: 'cdm-provider', providerId: 'oidc', enabled: true, config: { clientId: 'cdm-federation-acme', clientSecret: 's', metadataDescriptorUrl: `${url('provider', 'keycloak')}/realms/cdm/.well-known/openid-configuration` } };
    const made = await fetch(`${kc}/admin/realms/acme/identity-provider/instances`, { method: 'POST', headers: { authorization: `Bearer ${tok.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify(rep) });
    expect(made.status).toBe(201);
    try {
      const r = await doctor('local-acme');
      expect(r.code).toBe(1);
      expect(check(r.doc, 'keycloak', 'identity provider cdm-provider')).toMatchObject({ status: 'fail', detail: expect.stringContaining('cannot broker a login'), fix: expect.stringContaining('cdm tenant join') });
    } finally {
      await fetch(`${kc}/admin/realms/acme/identity-provider/instances/cdm-provider`, { method: 'DELETE', headers: { authorization: `Bearer ${tok.access_token}` } });
    }
  });

  it('checks a joined tenant\'s vhost, user and federation client, and fails with the fix when the vhost is deleted', async () => {
    const token = (await runCli(['auth', 'token', '--context', 'local-provider'], { env: t.env })).stdout.trim();
    const bridge = url('provider', 'bridge');
    const prep = await (await fetch(`${bridge}/portal/admin/tenants/prepare`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ tenant_id: 'beta', display_name: 'Beta' }) })).json() as { join_key: string };
    const joined = await fetch(`${bridge}/portal/admin/join`, { method: 'POST', headers: { 'x-join-key': prep.join_key, 'content-type': 'application/json' }, body: JSON.stringify(await joinPayload('beta', 'Beta')) });
    expect(joined.status).toBe(200);

    const ok = await doctor('local-provider');
    expect(ok.code, JSON.stringify(ok.doc.checks.filter((c: any) => c.status === 'fail'))).toBe(0);
    expect(check(ok.doc, 'rabbitmq', 'vhost beta').status).toBe('pass');
    expect(check(ok.doc, 'rabbitmq', 'user beta-mqtt-bridge').status).toBe('pass');
    expect(check(ok.doc, 'keycloak', 'federation client cdm-federation-beta').status).toBe('pass');
    // Upstream's tenant-sub-ca-signer has no duration claims: the Sub-CA lives 24 h, and doctor says so.
    expect(check(ok.doc, 'step-ca', 'Sub-CA of tenant beta')).toMatchObject({
      status: 'warn', detail: expect.stringMatching(/^serial \d+, expires in 2[34] h /), fix: expect.stringContaining('tenant-sub-ca-signer duration claims'),
    });

    const mq = url('provider', 'rabbitmq');
    const del = await fetch(`${mq}/api/vhosts/beta`, { method: 'DELETE', headers: { authorization: `Basic ${Buffer.from(`admin:${t.sandbox.secrets.provider.rabbitmqAdminPassword}`).toString('base64')}` } });
    expect(del.status).toBe(204);
    const bad = await doctor('local-provider');
    expect(bad.code).toBe(1);
    expect(check(bad.doc, 'rabbitmq', 'vhost beta')).toMatchObject({ status: 'fail', fix: expect.stringContaining('PUT /api/vhosts/beta') });
  }, 30_000);
});
