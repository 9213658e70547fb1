// Incident verbs against the in-process sandbox: `cdm tenant logout-all` (severe; refresh tokens
// of the realm fail afterwards) and `cdm tenant rotate-secrets` (new secrets, where they go, never
// printed by default; cdm's own credential and a tenant's identity provider followed up).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type RunResult } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { JsonStore } from '../../src/sandbox/kit/store.js';

let t: TestSandbox;
beforeAll(async () => { t = await startTestSandbox({ tenants: ['acme'] }); });
afterAll(async () => { await t?.close(); });

const cli = (args: string[], stdin?: string): Promise<RunResult> => runCli(args, { env: t.env, ...(stdin !== undefined ? { stdin } : {}) });
const kcUrl = (stack: string): string => t.sandbox.info.services.find((s) => s.stack === stack && s.service === 'keycloak')!.url;
const sandboxLog = (): string[] => readFileSync(join(t.stateDir, 'sandbox.log'), 'utf8').split('\n').filter(Boolean);
const settledLogLength = async (): Promise<number> => { await new Promise((r) => setTimeout(r, 100)); return sandboxLog().length; };
const credentialsFile = (): string => join(t.env.CDM_CONFIG_DIR!, 'credentials.json');
const credentials = (): any => JSON.parse(readFileSync(credentialsFile(), 'utf8'));

/** An admin token of the realm's cdm-sandbox client, straight from Keycloak (not through cdm). */
async function adminToken(stack: string, realm: string, secret: string): Promise<string> {
  const res = await fetch(`${kcUrl(stack)}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cdm-sandbox', client_secret: secret }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function admin(stack: string, realm: string, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${kcUrl(stack)}/admin/realms/${realm}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function clientSecret(stack: string, realm: string, token: string, clientId: string): Promise<string> {
  const [c] = (await (await admin(stack, realm, token, 'GET', `/clients?clientId=${clientId}`)).json()) as Array<{ id: string }>;
  return ((await (await admin(stack, realm, token, 'GET', `/clients/${c!.id}/client-secret`)).json()) as { value: string }).value;
}

describe('cdm tenant logout-all', () => {
  it('refuses without the realm typed, plans without sending, then ends every session: refresh fails (exit 4)', async () => {
    const login = await cli(['auth', 'login', '--username', 'operator', '--password-stdin', '--context', 'local-acme'], `${t.sandbox.secrets.tenants.acme!.operatorPassword}\n`);
    expect(login.code).toBe(0);
    expect((await cli(['auth', 'token', '--context', 'local-acme'])).code).toBe(0);

    const before = await settledLogLength();
    const refused = await cli(['tenant', 'logout-all', '--context', 'local-acme']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--confirm acme');
    const wrong = await cli(['tenant', 'logout-all', '--context', 'local-acme', '--confirm', 'cdm']);
    expect(wrong.code).toBe(2);
    const dry = await cli(['tenant', 'logout-all', '--context', 'local-acme', '--dry-run', '-o', 'json']);
    expect(dry.code).toBe(0);
    expect(dry.json()).toMatchObject({ kind: 'Plan', dryRun: true });
    expect(dry.json().steps).toEqual([expect.objectContaining({ action: 'logout-all', target: 'realm acme' })]);
    const badRealm = await cli(['tenant', 'logout-all', '--realm', 'no such realm', '--context', 'local-acme', '--confirm', 'x']);
    expect(badRealm.code).toBe(2);
    expect(await settledLogLength()).toBe(before);

    const done = await cli(['tenant', 'logout-all', '--context', 'local-acme', '--confirm', 'acme', '-o', 'json']);
    expect(done.code).toBe(0);
    expect(done.json()).toMatchObject({ kind: 'RealmLogout', realm: 'acme', context: 'local-acme', via: 'client cdm-sandbox', failedRequests: [] });
    expect(done.stderr).toContain('must log in again');
    expect(sandboxLog().some((l) => /POST \S*\/admin\/realms\/acme\/logout-all/.test(l))).toBe(true);

    // Force a refresh: the stored access token "expires"; the refresh token's session is gone.
    const doc = credentials();
    expect(doc.contexts['local-acme'].oidc.grant).toBe('password');
    doc.contexts['local-acme'].oidc.expiresAt = 0;
    writeFileSync(credentialsFile(), JSON.stringify(doc));
    const token = await cli(['auth', 'token', '--context', 'local-acme']);
    expect(token.code).toBe(4);
    expect(token.stderr).toContain('has ended');

    // Logging out of cdm leaves the context to its stored client credential again.
    expect((await cli(['auth', 'logout', '--context', 'local-acme'])).code).toBe(0);
    expect((await cli(['auth', 'token', '--context', 'local-acme'])).code).toBe(0);

    // The provider realm `cdm`, through the provider context (tab-separated rows off a terminal).
    const provider = await cli(['tenant', 'logout-all', '--context', 'local-provider', '--confirm', 'cdm']);
    expect(provider.code).toBe(0);
    expect(provider.stdout).toMatch(/^cdm\t\S+\tclient cdm-sandbox\t/);
  });

  it('a realm the context\'s credential does not administer: Keycloak\'s refusal, nothing logged out', async () => {
    const r = await cli(['tenant', 'logout-all', '--realm', 'master', '--context', 'local-acme', '--confirm', 'master']);
    expect(r.code).toBe(4);
  });
});

describe('cdm tenant rotate-secrets', () => {
  it('rotates a platform client: names GRAFANA_OIDC_SECRET, never prints the secret', async () => {
    const token = await adminToken('acme', 'acme', t.sandbox.secrets.tenants.acme!.sandboxClientSecret);
    for (const clientId of ['grafana', 'legacy-app']) {
      expect((await admin('acme', 'acme', token, 'POST', '/clients', { clientId, publicClient: false, secret: `${clientId}-old-secret`, standardFlowEnabled: true })).status).toBe(201);
    }

    const before = await settledLogLength();
    const plan = await cli(['tenant', 'rotate-secrets', '--context', 'local-acme', '--dry-run', '-o', 'json']);
    expect(plan.code).toBe(0);
    const targets = plan.json().steps.filter((s: { action: string }) => s.action === 'regenerate secret').map((s: { target: string }) => s.target);
    // Default: the known clients, the context's own one last; legacy-app and built-ins only when named.
    expect(targets).toEqual(['client grafana', 'client cdm-sandbox']);
    const noJson = await cli(['tenant', 'rotate-secrets', '--context', 'local-acme', '--client', 'grafana', '--show-secrets', '--yes']);
    expect(noJson.code).toBe(2);
    const unknown = await cli(['tenant', 'rotate-secrets', '--context', 'local-acme', '--client', 'nope', '--yes']);
    expect(unknown.code).toBe(3);
    const notTenant = await cli(['tenant', 'rotate-secrets', '--context', 'local-acme', '--tenant-context', 'local-provider', '--yes']);
    expect(notTenant.code).toBe(2);
    expect(sandboxLog().slice(before).filter((l) => / (POST|PUT|DELETE) /.test(l) && !/openid-connect\/token/.test(l))).toEqual([]);

    const r = await cli(['tenant', 'rotate-secrets', '--context', 'local-acme', '--client', 'grafana,legacy-app', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/grafana\s+rotated\s+manual\s+GRAFANA_OIDC_SECRET/);
    expect(r.stdout).toMatch(/legacy-app\s+rotated\s+manual\s+the service configured with this client/);
    expect(r.stderr).toContain('--show-secrets');
    const fresh = await clientSecret('acme', 'acme', token, 'grafana');
    expect(fresh).not.toBe('grafana-old-secret');
    const everything = `${r.stdout}${r.stderr}${readFileSync(join(t.env.CDM_STATE_DIR!, 'journal.ndjson'), 'utf8')}`;
    expect(everything).not.toContain(fresh);
    expect(everything).not.toContain(await clientSecret('acme', 'acme', token, 'legacy-app'));

    // With -o json --show-secrets the new secret is on stdout, and it is the one Keycloak holds.
    const shown = await cli(['tenant', 'rotate-secrets', '--context', 'local-acme', '--client', 'grafana', '--yes', '-o', 'json', '--show-secrets']);
    expect(shown.code).toBe(0);
    const row = shown.json().clients[0];
    expect(row).toMatchObject({ client: 'grafana', realm: 'acme', rotation: 'rotated', followUp: 'manual' });
    expect(row.secret).toBe(await clientSecret('acme', 'acme', token, 'grafana'));
    expect(row.secret).not.toBe(fresh);
    const plain = await cli(['tenant', 'rotate-secrets', '--context', 'local-acme', '--client', 'grafana', '--yes', '-o', 'json']);
    expect(plain.json().clients[0]).not.toHaveProperty('secret');

    // Nor does a --verbose HTTP trace carry it (the answer of the regeneration is not traced as a body).
    const traced = await cli(['tenant', 'rotate-secrets', '--context', 'local-acme', '--client', 'grafana', '--yes', '--verbose', '-o', 'json', '--show-secrets']);
    expect(traced.code).toBe(0);
    expect(traced.stderr).toMatch(/client-secret/);
    expect(traced.stderr).not.toContain(traced.json().clients[0].secret);
  });

  it('the federation client: the tenant\'s identity provider gets the new secret through --tenant-context', async () => {
    const onboard = await cli(['tenant', 'onboard', 'acme', '--provider-context', 'local-provider', '--tenant-context', 'local-acme', '-o', 'json']);
    expect(onboard.code).toBe(0);
    // The IdP can broker logins: it carries the provider realm's endpoints, from its discovery document.
    const discovery = await (await fetch(`${kcUrl('provider')}/realms/cdm/.well-known/openid-configuration`)).json() as Record<string, string>;
    const tenantAdmin = await adminToken('acme', 'acme', t.sandbox.secrets.tenants.acme!.sandboxClientSecret);
    const idpConfig = ((await (await admin('acme', 'acme', tenantAdmin, 'GET', '/identity-provider/instances/cdm-provider')).json()) as { config: Record<string, string> }).config;
    expect(idpConfig).toMatchObject({
      issuer: discovery['issuer'], authorizationUrl: discovery['authorization_endpoint'], tokenUrl: discovery['token_endpoint'],
      userInfoUrl: discovery['userinfo_endpoint'], jwksUrl: discovery['jwks_uri'], logoutUrl: discovery['end_session_endpoint'], clientId: 'cdm-federation-acme',
    });
    const plan = await cli(['tenant', 'rotate-secrets', '--context', 'local-provider', '--client', 'cdm-federation-acme', '--tenant-context', 'local-acme', '--dry-run']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/identity provider cdm-provider of realm acme/);

    const r = await cli(['tenant', 'rotate-secrets', '--context', 'local-provider', '--client', 'cdm-federation-acme', '--tenant-context', 'local-acme', '--yes', '-o', 'json', '--show-secrets']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const row = r.json().clients[0];
    expect(row).toMatchObject({ client: 'cdm-federation-acme', realm: 'cdm', rotation: 'rotated', followUp: 'updated' });
    expect(row.where).toContain('identity provider cdm-provider of tenant realm acme');
    const providerToken = await adminToken('provider', 'cdm', t.sandbox.secrets.provider.sandboxClientSecret);
    expect(await clientSecret('provider', 'cdm', providerToken, 'cdm-federation-acme')).toBe(row.secret);
    await new Promise((res) => setTimeout(res, 200));
    const state = JsonStore.read<any>(join(t.stateDir, 'tenants', 'acme', 'keycloak.json'))!;
    const idp = state.realms.acme.idps.find((i: { alias: string }) => i.alias === 'cdm-provider');
    expect(idp.rep.config.clientSecret).toBe(row.secret);

    // Without the tenant's context the follow-up is manual, and says where.
    const manual = await cli(['tenant', 'rotate-secrets', '--context', 'local-provider', '--client', 'cdm-federation-acme', '--yes']);
    expect(manual.code).toBe(0);
    expect(manual.stdout).toMatch(/cdm-federation-acme\s+rotated\s+manual\s+identity provider cdm-provider of tenant realm acme/);

    // The follow-up cdm attempts fails (the tenant realm lost its IdP): exit 6, the client keeps its new secret.
    const acmeToken = await adminToken('acme', 'acme', t.sandbox.secrets.tenants.acme!.sandboxClientSecret);
    expect((await admin('acme', 'acme', acmeToken, 'DELETE', '/identity-provider/instances/cdm-provider')).status).toBe(204);
    const broken = await cli(['tenant', 'rotate-secrets', '--context', 'local-provider', '--client', 'cdm-federation-acme', '--tenant-context', 'local-acme', '--yes', '-o', 'json', '--show-secrets']);
    expect(broken.code).toBe(6);
    expect(broken.json().clients[0]).toMatchObject({ rotation: 'rotated', followUp: 'failed', detail: 'realm acme has no identity provider cdm-provider' });
    expect(await clientSecret('provider', 'cdm', providerToken, 'cdm-federation-acme')).toBe(broken.json().clients[0].secret);
    expect(broken.stderr).toContain('failed');
  });

  it('the context\'s own client: the credential store gets the new secret and cdm keeps working', async () => {
    const old = t.sandbox.secrets.provider.sandboxClientSecret;
    const r = await cli(['tenant', 'rotate-secrets', '--context', 'local-provider', '--client', 'cdm-sandbox', '--yes', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.json().clients[0]).toMatchObject({ client: 'cdm-sandbox', followUp: 'updated', where: 'the cdm credential store of context local-provider (keycloak client credential)' });
    const stored = credentials().contexts['local-provider'].services.keycloak;
    expect(stored.username).toBe('cdm-sandbox');
    expect(stored.secret).not.toBe(old);
    expect(r.stdout).not.toContain(stored.secret);
    // The old secret is refused; cdm logs in with the new one by itself.
    expect((await cli(['auth', 'login', '--client-id', 'cdm-sandbox', '--client-secret-stdin', '--context', 'local-provider'], old)).code).toBe(4);
    const show = await cli(['tenant', 'show', 'acme', '--context', 'local-provider', '-o', 'json']);
    expect(show.code).toBe(0);
    expect(show.json().keycloak).toMatchObject({ clientId: 'cdm-federation-acme', present: true });
  });
});
