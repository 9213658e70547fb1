// `cdm doctor`: checks every service of a context, one row per check, each failure with the fix.
// What is checked comes from the failure modes of cdm-platform.md §9/§10 that a CLI can see from
// outside: a service that does not answer, credentials that do not work, a clock off (tokens and
// one-time tokens are refused), a CA whose root is not the pinned one (a re-initialised step-ca),
// missing provisioners (init-provisioners.sh not run), a joined tenant without its RabbitMQ vhost
// or MQTT-bridge user or federation client, a tenant realm without the `cdm-provider` IdP, hawkBit
// without the module types rollouts use, ThingsBoard without the `cdm-x509` profile.
// Requests use a client without retries and with short timeouts: a doctor must answer quickly.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NamedContext } from '../../config/context-spec.js';
import { errorBody } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { HttpClient, HttpClientOptions, HttpResponse } from '../../http/types.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface Check {
  service: string;
  check: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** Clock skew tolerated silently, and the bound beyond which tokens break (step-ca OTT nbf, JWT iat). */
const SKEW_WARN_MS = 5_000;
const SKEW_FAIL_MS = 60_000;

export const PROVIDER_PROVISIONERS = ['iot-bridge', 'tenant-sub-ca-signer'];
export const TENANT_PROVISIONERS = ['iot-bridge'];
export const HAWKBIT_MODULE_TYPES = ['os', 'application'];
export const THINGSBOARD_PROFILE = 'cdm-x509';
export const TENANT_IDP = 'cdm-provider';
export const METRICS_VHOST = 'cdm-metrics';
const JOINED = new Set(['joined', 'approved']);

class Report {
  readonly checks: Check[] = [];
  add(service: string, check: string, status: CheckStatus, detail: string, fix?: string): void {
    this.checks.push({ service, check, status, detail, ...(fix !== undefined && status !== 'pass' ? { fix } : {}) });
  }
}

const message = (err: unknown): string => errorBody(err).message;

interface Deps {
  f: Factory;
  ctx: NamedContext;
  /** HTTP client with the context's trust, no retries, short timeouts. */
  http: HttpClient;
  newHttp: (opts: HttpClientOptions) => HttpClient;
  now: () => number;
  report: Report;
}

/**
 * Clock skew from an HTTP Date header (second resolution): compared with the middle of the request,
 * with 1 s allowed for the truncation. Beyond 5 s a warning, beyond 60 s a failure.
 */
export function skewCheck(dateHeader: string | undefined, sentAt: number, receivedAt: number): { status: CheckStatus; detail: string } {
  const date = Date.parse(dateHeader ?? '');
  if (Number.isNaN(date)) return { status: 'skip', detail: 'no Date header in the answer' };
  const skew = date - (sentAt + receivedAt) / 2;
  const abs = Math.max(0, Math.abs(skew) - 1000);
  const detail = abs === 0 ? 'within 1 s (the Date header\'s resolution)' : `${skew >= 0 ? 'server ahead by' : 'server behind by'} about ${Math.round(Math.abs(skew) / 1000)} s`;
  return { status: abs > SKEW_FAIL_MS ? 'fail' : abs > SKEW_WARN_MS ? 'warn' : 'pass', detail };
}

function clockCheck(d: Deps, service: string, res: HttpResponse, sentAt: number): void {
  const header = res.headers['date'];
  const r = skewCheck(Array.isArray(header) ? header[0] : header, sentAt, d.now());
  d.report.add(service, 'clock skew', r.status, r.detail,
    'synchronise the clocks (chrony/systemd-timesyncd on this machine and the server): tokens and step-ca one-time tokens are refused when clocks disagree');
}

/** GET that records reachability (and clock skew) once per service; undefined when unreachable. */
async function probe(d: Deps, service: string, url: string, fix: string, http: HttpClient = d.http, headers?: Record<string, string>): Promise<HttpResponse | undefined> {
  const sentAt = d.now();
  try {
    const res = await http.request({ service, method: 'GET', url, ...(headers ? { headers } : {}) });
    if (res.status >= 500) {
      d.report.add(service, 'reachable', 'fail', `${url} answered ${res.status}`, fix);
      return undefined;
    }
    d.report.add(service, 'reachable', 'pass', `${new URL(url).origin} answered ${res.status}`);
    clockCheck(d, service, res, sentAt);
    return res;
  } catch (err) {
    d.report.add(service, 'reachable', 'fail', message(err), fix);
    return undefined;
  }
}

async function serviceCredential(d: Deps, service: 'hawkbit' | 'thingsboard' | 'rabbitmq'): Promise<{ username: string; password: string } | undefined> {
  const stored = (await d.f.credentials()).service(d.ctx.name, service);
  if (!stored?.username) return undefined;
  const { resolveSecret } = await import('../../config/secret-ref.js');
  return { username: stored.username, password: await resolveSecret(stored.secret, d.f.io.env) };
}

const basic = (c: { username: string; password: string }): string => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

// ---------------------------------------------------------------------------------------------
// Keycloak

interface KcState { baseUrl?: string; token?: string }

async function checkKeycloak(d: Deps): Promise<KcState> {
  const kc = d.ctx.keycloak!;
  const base = kc.url.replace(/\/+$/, '');
  const state: KcState = {};
  const fixUp = `check that Keycloak runs and that the context's URL is right (${base}; with or without /auth): cdm context show ${d.ctx.name}`;
  let discovered: string | undefined;
  for (const candidate of base.endsWith('/auth') ? [base] : [base, `${base}/auth`]) {
    const sentAt = d.now();
    try {
      const res = await d.http.request({ service: 'keycloak', method: 'GET', url: `${candidate}/realms/${encodeURIComponent(kc.realm)}/.well-known/openid-configuration` });
      if (res.status === 404) continue;
      if (res.status !== 200) {
        d.report.add('keycloak', 'reachable', 'fail', `realm ${kc.realm} discovery answered ${res.status}`, fixUp);
        return state;
      }
      d.report.add('keycloak', 'reachable', 'pass', `realm ${kc.realm} at ${candidate}`);
      clockCheck(d, 'keycloak', res, sentAt);
      discovered = candidate;
      break;
    } catch (err) {
      d.report.add('keycloak', 'reachable', 'fail', message(err), fixUp);
      return state;
    }
  }
  if (discovered === undefined) {
    d.report.add('keycloak', 'reachable', 'fail', `realm ${kc.realm} not found at ${base}`, `check the realm of the context (cdm context show ${d.ctx.name}) or import it`);
    return state;
  }
  state.baseUrl = discovered;
  try {
    state.token = await (await d.f.session()).accessToken();
    d.report.add('keycloak', 'auth works', 'pass', `token for realm ${kc.realm}`);
  } catch (err) {
    d.report.add('keycloak', 'auth works', 'fail', message(err), `cdm auth login --context ${d.ctx.name}`);
    return state;
  }
  // The version is only disclosed to admins (serverinfo); not every token may read it.
  try {
    const res = await d.http.request({ service: 'keycloak', method: 'GET', url: `${discovered}/admin/serverinfo`, headers: { authorization: `Bearer ${state.token}` } });
    const version = res.status === 200 ? res.json<{ systemInfo?: { version?: string } }>().systemInfo?.version : undefined;
    d.report.add('keycloak', 'version', version ? 'pass' : 'skip', version ?? `not disclosed to this token (serverinfo answered ${res.status})`);
  } catch (err) {
    d.report.add('keycloak', 'version', 'skip', message(err));
  }
  if (d.ctx.type === 'tenant') await checkTenantIdp(d, state);
  return state;
}

async function kcAdminGet(d: Deps, kc: KcState, path: string): Promise<HttpResponse> {
  return d.http.request({ service: 'keycloak', method: 'GET', url: `${kc.baseUrl}/admin/realms${path}`, headers: { authorization: `Bearer ${kc.token}` } });
}

async function checkTenantIdp(d: Deps, kc: KcState): Promise<void> {
  const realm = d.ctx.keycloak!.realm;
  try {
    const res = await kcAdminGet(d, kc, `/${encodeURIComponent(realm)}/identity-provider/instances/${TENANT_IDP}`);
    if (res.status === 200) {
      const idp = res.json<{ enabled?: boolean; config?: { clientId?: string; authorizationUrl?: string; tokenUrl?: string } }>();
      if (idp.enabled === false) d.report.add('keycloak', `identity provider ${TENANT_IDP}`, 'fail', 'present but disabled: provider administrators cannot log in to this tenant', `enable it in realm ${realm} (Identity providers → ${TENANT_IDP})`);
      else if (!idp.config?.authorizationUrl || !idp.config.tokenUrl) {
        // What init-sub-ca.sh (and earlier cdm versions) created: a discovery URL, no endpoints.
        d.report.add('keycloak', `identity provider ${TENANT_IDP}`, 'fail', 'present but without the provider\'s authorization and token endpoints: it cannot broker a login',
          'run the join again: `cdm tenant onboard <tenant>` (it finds the finished join), or `cdm tenant join` with the same --out (nothing goes to the bridge); it imports them from the provider\'s discovery document');
      } else d.report.add('keycloak', `identity provider ${TENANT_IDP}`, 'pass', `federated with the provider${idp.config?.clientId ? ` as ${idp.config.clientId}` : ''}`);
    } else if (res.status === 404) {
      d.report.add('keycloak', `identity provider ${TENANT_IDP}`, 'warn', `realm ${realm} has no ${TENANT_IDP} IdP: the tenant has not joined a provider (or the join's federation step failed)`,
        'join the tenant to its provider (`cdm tenant onboard` on the provider, then the tenant join), or add the IdP with the federation client secret the join returned');
    } else {
      d.report.add('keycloak', `identity provider ${TENANT_IDP}`, 'skip', `cannot read identity providers (HTTP ${res.status}): the token lacks view-identity-providers`);
    }
  } catch (err) {
    d.report.add('keycloak', `identity provider ${TENANT_IDP}`, 'skip', message(err));
  }
}

// ---------------------------------------------------------------------------------------------
// step-ca

async function checkStepca(d: Deps): Promise<void> {
  const { StepCaClient } = await import('../../services/stepca/client.js');
  const { sha256Hex, parseFingerprint } = await import('../../pki/fingerprint.js');
  const { pemBlocks } = await import('../../pki/pem.js');
  const sc = d.ctx.stepca!;
  const url = sc.url.replace(/\/+$/, '');
  // Reachability and the root over an unverified connection: what is trusted is decided below.
  const insecureHttp = d.newHttp({ insecure: true, warn: () => undefined });
  const res = await probe(d, 'step-ca', `${url}/health`, `check that step-ca runs and listens at ${url}`, insecureHttp);
  if (!res) return;
  const insecure = new StepCaClient(insecureHttp, url);
  try {
    d.report.add('step-ca', 'version', 'pass', (await insecure.version()).version);
  } catch (err) {
    d.report.add('step-ca', 'version', 'skip', message(err));
  }
  let roots: string[] = [];
  try {
    roots = await insecure.roots();
  } catch (err) {
    d.report.add('step-ca', 'root fingerprint', 'fail', `cannot read the CA's roots: ${message(err)}`, 'check the step-ca URL of the context');
    return;
  }
  const fps = roots.map((pem) => sha256Hex(pemBlocks(pem)[0]!.der));
  let pinnedRoot: string | undefined;
  if (!sc.fingerprint) {
    d.report.add('step-ca', 'root fingerprint', 'warn', `no fingerprint pinned; the CA serves ${fps.map((x) => x.slice(0, 16)).join(', ')}…`,
      `pin it after checking it on the CA host (step certificate fingerprint root_ca.crt): cdm cert root --fingerprint <sha256> --context ${d.ctx.name}`);
  } else {
    const pinned = parseFingerprint(sc.fingerprint);
    const i = fps.indexOf(pinned);
    if (i < 0) {
      d.report.add('step-ca', 'root fingerprint', 'fail', `the CA's root is ${fps[0] ?? 'none'}, the context pins ${pinned}`,
        'if the CA was re-initialised on purpose, check the new fingerprint on the CA host (step certificate fingerprint root_ca.crt) and re-pin: '
        + `cdm context add ${d.ctx.name} --overwrite … --stepca-fingerprint <new>; devices and tenants keep the old root until they are re-bootstrapped. Otherwise this URL is not your CA`);
      return;
    }
    pinnedRoot = roots[i];
    d.report.add('step-ca', 'root fingerprint', 'pass', `root ${pinned.slice(0, 16)}… matches the pin`);
  }
  // The CA's TLS certificate must chain to the pinned root (and to the context's CA bundle).
  const anchor = pinnedRoot ?? roots[0];
  if (anchor) {
    try {
      const verified = new StepCaClient(d.newHttp({ ca: anchor }), url);
      await verified.health();
      d.report.add('step-ca', 'TLS chain', 'pass', 'the CA\'s TLS certificate verifies to the pinned root');
    } catch (err) {
      d.report.add('step-ca', 'TLS chain', 'fail', `the CA's TLS certificate does not verify to its root: ${message(err)}`, 'renew the CA\'s TLS certificate from its own root (restart step-ca), or check for a proxy in between');
    }
  }
  const caFile = d.f.settings.caFile;
  if (caFile !== undefined && pinnedRoot) {
    try {
      const bundle = pemBlocks(readFileSync(caFile, 'utf8')).map((b) => sha256Hex(b.der));
      const pinned = sha256Hex(new X509Certificate(pinnedRoot).raw);
      if (bundle.includes(pinned)) d.report.add('step-ca', 'CA bundle', 'pass', `${caFile} holds the pinned root`);
      else d.report.add('step-ca', 'CA bundle', 'fail', `${caFile} does not hold the pinned root`, `replace it: cdm cert root --context ${d.ctx.name} > ${caFile}`);
    } catch (err) {
      d.report.add('step-ca', 'CA bundle', 'fail', `cannot read ${caFile}: ${message(err)}`, `cdm cert root --context ${d.ctx.name} > ${caFile}`);
    }
  }
  // Provisioners the platform needs (init-provisioners.sh / init-sub-ca.sh create them).
  const wanted = [...new Set([...(d.ctx.type === 'provider' ? PROVIDER_PROVISIONERS : TENANT_PROVISIONERS), ...(sc.provisioner ? [sc.provisioner] : [])])];
  const present = new Map<string, string>();
  try {
    for await (const p of insecure.provisioners()) present.set(p.name, p.type);
    for (const name of wanted) {
      const type = present.get(name);
      if (!type) {
        d.report.add('step-ca', `provisioner ${name}`, 'fail', 'missing',
          d.ctx.type === 'provider' ? 'run the provisioner setup on the CA: docker exec provider-step-ca /usr/local/bin/init-provisioners.sh' : 'run the Sub-CA setup on the tenant CA: docker exec <tenant>-step-ca /usr/local/bin/init-sub-ca.sh');
      } else {
        d.report.add('step-ca', `provisioner ${name}`, type.toUpperCase() === 'JWK' ? 'pass' : 'warn', type, 'cdm signs with JWK provisioners only');
      }
    }
  } catch (err) {
    d.report.add('step-ca', 'provisioners', 'fail', message(err), 'check the step-ca URL of the context');
    return;
  }
  // The stored provisioner password decrypts the provisioner's key (what `cdm cert issue` needs).
  const cred = (await d.f.credentials()).service(d.ctx.name, 'stepca');
  if (!cred) {
    d.report.add('step-ca', 'auth works', 'warn', 'no provisioner password stored: cdm cannot issue certificates with this context',
      `printf %s "$PROVISIONER_PASSWORD" | cdm auth set-credential stepca --username ${sc.provisioner ?? 'iot-bridge'} --context ${d.ctx.name}`);
    return;
  }
  try {
    const { StepCaConnection } = await import('../../services/stepca/connect.js');
    const { provisionerSecret, provisionerKey } = await import('../../services/stepca/provisioner.js');
    const conn = await StepCaConnection.open(d.f);
    const key = await provisionerKey(conn, await provisionerSecret(d.f, conn, undefined));
    d.report.add('step-ca', 'auth works', 'pass', `the stored password decrypts the key of provisioner ${key.name}`);
  } catch (err) {
    d.report.add('step-ca', 'auth works', 'fail', message(err),
      `store the right password: printf %s "$PROVISIONER_PASSWORD" | cdm auth set-credential stepca --username ${sc.provisioner ?? cred.username ?? 'iot-bridge'} --context ${d.ctx.name}`);
  }
}

// ---------------------------------------------------------------------------------------------
// bridge (and, on the provider, what each joined tenant needs elsewhere)

interface BridgeTenantRow { tenant_id: string; join_state?: string; rabbitmq_vhost?: string | null; rabbitmq_user?: string | null; cdm_idp_client_id?: string | null; sub_ca_serial?: string | null; sub_ca_not_after?: string | null }

async function checkBridge(d: Deps, kc: KcState): Promise<BridgeTenantRow[] | undefined> {
  const url = d.ctx.bridge!.url.replace(/\/+$/, '');
  const res = await probe(d, 'bridge', `${url}/health`, `check that the iot-bridge-api runs at ${url}`);
  if (!res) return undefined;
  if (res.status !== 200) {
    d.report.add('bridge', 'health', 'fail', `GET /health answered ${res.status}`, 'see the bridge container\'s log');
    return undefined;
  }
  const version = (() => { try { return res.json<{ version?: string }>().version; } catch { return undefined; } })();
  d.report.add('bridge', 'version', version ? 'pass' : 'skip', version ?? 'not disclosed by /health');
  if (!kc.token) {
    d.report.add('bridge', 'auth works', 'skip', 'no Keycloak token (see keycloak)');
    return undefined;
  }
  const path = d.ctx.type === 'provider' ? '/portal/admin/tenants' : '/devices';
  try {
    const r = await d.http.request({ service: 'bridge', method: 'GET', url: `${url}${path}`, headers: { authorization: `Bearer ${kc.token}` } });
    if (r.status === 401 || r.status === 403) {
      d.report.add('bridge', 'auth works', 'fail', `GET ${path} answered ${r.status}: the token is refused`,
        d.ctx.type === 'provider' ? 'the user needs role cdm-admin or platform-admin in realm cdm' : 'the user needs a reader role (cdm-operator, cdm-admin) in the tenant realm');
      return undefined;
    }
    if (r.status === 404 || r.status === 405) {
      d.report.add('bridge', 'auth works', 'warn', `GET ${path} is missing (upstream bridge): cdm's device and tenant views need it`, 'deploy a bridge with the routes of commands.md §7');
      return undefined;
    }
    if (r.status !== 200) {
      d.report.add('bridge', 'auth works', 'fail', `GET ${path} answered ${r.status}`, 'see the bridge container\'s log');
      return undefined;
    }
    d.report.add('bridge', 'auth works', 'pass', `GET ${path} with the context's token`);
    if (d.ctx.type !== 'provider') return undefined;
    const body = r.json<{ tenants?: BridgeTenantRow[] } | BridgeTenantRow[]>();
    return Array.isArray(body) ? body : body.tenants ?? [];
  } catch (err) {
    d.report.add('bridge', 'auth works', 'fail', message(err), 'see the bridge container\'s log');
    return undefined;
  }
}

async function checkFederationClients(d: Deps, kc: KcState, tenants: BridgeTenantRow[]): Promise<void> {
  if (!kc.token) return;
  for (const t of tenants) {
    const clientId = t.cdm_idp_client_id || `cdm-federation-${t.tenant_id}`;
    try {
      const res = await kcAdminGet(d, kc, `/${encodeURIComponent(d.ctx.keycloak!.realm)}/clients?clientId=${encodeURIComponent(clientId)}`);
      if (res.status !== 200) {
        d.report.add('keycloak', `federation client ${clientId}`, 'skip', `cannot read clients (HTTP ${res.status}): the token lacks view-clients`);
        continue;
      }
      const found = res.json<Array<{ clientId: string; enabled?: boolean }>>().find((c) => c.clientId === clientId);
      if (!found) {
        d.report.add('keycloak', `federation client ${clientId}`, 'fail', `tenant ${t.tenant_id} is ${t.join_state} but realm ${d.ctx.keycloak!.realm} has no client ${clientId}: its administrators cannot log in through cdm-provider`,
          `re-run the tenant's join (a new join key: cdm tenant onboard ${t.tenant_id}), or create the confidential client ${clientId} with redirect https://<tenant>/auth/realms/${t.tenant_id}/broker/cdm-provider/endpoint and give its secret to the tenant's IdP`);
      } else if (found.enabled === false) {
        d.report.add('keycloak', `federation client ${clientId}`, 'fail', 'present but disabled', `enable client ${clientId} in realm ${d.ctx.keycloak!.realm}`);
      } else {
        d.report.add('keycloak', `federation client ${clientId}`, 'pass', `tenant ${t.tenant_id}`);
      }
    } catch (err) {
      d.report.add('keycloak', `federation client ${clientId}`, 'skip', message(err));
    }
  }
}

/** Warn this long before a tenant's Sub-CA expires. */
const SUB_CA_WARN_MS = 7 * 24 * 3_600_000;

/**
 * A tenant's device certificates are issued by its Sub-CA: once that expires, every enrollment and
 * renewal of the tenant fails. Upstream's `tenant-sub-ca-signer` has no duration claims, so a
 * Sub-CA it signs lives step-ca's default 24 h (cdm-platform.md, open issue 14).
 */
export function subCaExpiry(notAfter: string | null | undefined, now: number): { state: 'unknown' | 'expired' | 'soon' | 'valid'; leftMs: number } {
  const until = notAfter ? Date.parse(notAfter) : Number.NaN;
  if (Number.isNaN(until)) return { state: 'unknown', leftMs: Number.NaN };
  const leftMs = until - now;
  return { state: leftMs <= 0 ? 'expired' : leftMs < SUB_CA_WARN_MS ? 'soon' : 'valid', leftMs };
}

function checkSubCaExpiry(d: Deps, tenants: BridgeTenantRow[]): void {
  for (const t of tenants) {
    const check = `Sub-CA of tenant ${t.tenant_id}`;
    const { state, leftMs } = subCaExpiry(t.sub_ca_not_after, d.now());
    if (state === 'unknown') {
      d.report.add('step-ca', check, 'skip', 'the bridge recorded no expiry for it');
      continue;
    }
    const fix = `renew it with the tenant's key (cdm cert renew <join-bundle>/sub-ca.crt <join-bundle>/sub-ca.key --context ${d.ctx.name}) and install the new certificate in the tenant CA; for a lasting fix give provisioner tenant-sub-ca-signer duration claims (maxTLSCertDuration, defaultTLSCertDuration) in the provider CA's ca.json`;
    const serial = t.sub_ca_serial ? `serial ${t.sub_ca_serial}, ` : '';
    if (state === 'expired') d.report.add('step-ca', check, 'fail', `${serial}expired at ${t.sub_ca_not_after}: the tenant cannot enroll or renew devices`, fix);
    else if (state === 'soon') d.report.add('step-ca', check, 'warn', `${serial}expires in ${humanDuration(leftMs)} (${t.sub_ca_not_after})`, fix);
    else d.report.add('step-ca', check, 'pass', `${serial}valid until ${t.sub_ca_not_after}`);
  }
}

function humanDuration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  return h >= 48 ? `${Math.floor(h / 24)} days` : h >= 1 ? `${h} h` : `${Math.max(1, Math.floor(ms / 60_000))} min`;
}

// ---------------------------------------------------------------------------------------------
// RabbitMQ

async function checkRabbitmq(d: Deps, tenants: BridgeTenantRow[] | undefined): Promise<void> {
  const { RabbitMqClient } = await import('../../services/rabbitmq/client.js');
  const url = d.ctx.rabbitmq!.url.replace(/\/+$/, '').replace(/\/api$/, '');
  const res = await probe(d, 'rabbitmq', `${url}/api/overview`, `check that RabbitMQ's management plugin answers at ${url} (the /rabbitmq prefix behind Caddy)`);
  if (!res) return;
  const creds = await serviceCredential(d, 'rabbitmq');
  if (!creds) {
    d.report.add('rabbitmq', 'auth works', 'fail', 'no RabbitMQ credential stored', `printf %s "$RABBITMQ_ADMIN_PASSWORD" | cdm auth set-credential rabbitmq --username admin --context ${d.ctx.name}`);
    return;
  }
  const mq = new RabbitMqClient(d.http, url, creds.username, creds.password);
  try {
    const o = await mq.overview();
    d.report.add('rabbitmq', 'auth works', 'pass', `user ${creds.username}`);
    d.report.add('rabbitmq', 'version', o.rabbitmq_version ? 'pass' : 'skip', o.rabbitmq_version ?? 'not disclosed');
  } catch (err) {
    d.report.add('rabbitmq', 'auth works', 'fail', message(err), `store the management user's password: printf %s "$RABBITMQ_ADMIN_PASSWORD" | cdm auth set-credential rabbitmq --username ${creds.username} --context ${d.ctx.name}`);
    return;
  }
  try {
    const v = await mq.vhost(METRICS_VHOST);
    d.report.add('rabbitmq', `vhost ${METRICS_VHOST}`, v ? 'pass' : 'warn', v ? 'present' : 'missing: rabbitmq.conf names it as the MQTT default vhost, so device metrics have nowhere to land',
      `create it: cdm stack up --engine compose (bootstrap), or PUT /api/vhosts/${METRICS_VHOST} and grant the admin on it`);
  } catch (err) {
    d.report.add('rabbitmq', `vhost ${METRICS_VHOST}`, 'skip', message(err));
  }
  if (!tenants) return;
  for (const t of tenants) {
    const vhost = t.rabbitmq_vhost || t.tenant_id;
    const user = t.rabbitmq_user || `${t.tenant_id}-mqtt-bridge`;
    const rejoin = `re-run the tenant's join (cdm tenant onboard ${t.tenant_id} gives a new key), or by hand: PUT /api/vhosts/${vhost}, PUT /api/users/${user} (tags none, certificate login), PUT /api/permissions/${vhost}/${user} {".*",".*",".*"}`;
    try {
      const v = await mq.vhost(vhost);
      if (!v) d.report.add('rabbitmq', `vhost ${vhost}`, 'fail', `tenant ${t.tenant_id} is ${t.join_state} but its vhost is missing: its MQTT bridge cannot connect`, rejoin);
      else d.report.add('rabbitmq', `vhost ${vhost}`, 'pass', `tenant ${t.tenant_id}`);
      const u = await mq.user(user);
      if (!u) d.report.add('rabbitmq', `user ${user}`, 'fail', `tenant ${t.tenant_id} is ${t.join_state} but its MQTT-bridge user is missing`, rejoin);
      else if (v) {
        const p = await mq.permissions(vhost, user);
        d.report.add('rabbitmq', `user ${user}`, p ? 'pass' : 'fail', p ? `permissions on ${vhost}` : `no permissions on vhost ${vhost}`, `PUT /api/permissions/${vhost}/${user} {"configure":".*","write":".*","read":".*"}`);
      } else d.report.add('rabbitmq', `user ${user}`, 'pass', 'present');
    } catch (err) {
      d.report.add('rabbitmq', `tenant ${t.tenant_id}`, 'fail', message(err), 'check the RabbitMQ management user\'s permissions (administrator tag)');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// hawkBit

async function checkHawkbit(d: Deps): Promise<void> {
  const url = d.ctx.hawkbit!.url.replace(/\/+$/, '');
  const creds = await serviceCredential(d, 'hawkbit');
  const headers: Record<string, string> = { accept: 'application/json', ...(creds ? { authorization: basic(creds) } : {}) };
  const res = await probe(d, 'hawkbit', `${url}/rest/v1/userinfo`, `check that hawkBit runs at ${url}`, d.http, headers);
  if (!res) return;
  const setCred = `printf %s "$HAWKBIT_PASSWORD" | cdm auth set-credential hawkbit --username admin --context ${d.ctx.name}`;
  if (!creds) {
    d.report.add('hawkbit', 'auth works', 'fail', 'no hawkBit credential stored', setCred);
    return;
  }
  if (res.status === 401 || res.status === 403) {
    d.report.add('hawkbit', 'auth works', 'fail', `the stored credential of ${creds.username} is refused (${res.status})`, `${setCred} (hawkBit's HB_ADMIN_* are not wired into upstream's image: the default admin/admin may still apply)`);
    return;
  }
  d.report.add('hawkbit', 'auth works', res.status === 200 ? 'pass' : 'fail', res.status === 200 ? `user ${creds.username}` : `GET /rest/v1/userinfo answered ${res.status}`, setCred);
  try {
    const r = await d.http.request({ service: 'hawkbit', method: 'GET', url: `${url}/rest/v1/softwaremoduletypes`, headers, query: { limit: 500 } });
    if (r.status !== 200) throw new Error(`GET /rest/v1/softwaremoduletypes answered ${r.status}`);
    const keys = new Set(r.json<{ content: Array<{ key: string }> }>().content.map((t) => t.key));
    for (const key of HAWKBIT_MODULE_TYPES) {
      d.report.add('hawkbit', `software module type ${key}`, keys.has(key) ? 'pass' : 'fail', keys.has(key) ? 'present' : 'missing: `cdm rollout upload` cannot create modules of this type',
        `create it: POST /rest/v1/softwaremoduletypes [{"key":"${key}","name":"${key}","maxAssignments":${key === 'os' ? 1 : 2147483647}}]`);
    }
  } catch (err) {
    d.report.add('hawkbit', 'software module types', 'fail', message(err), 'check the hawkBit user\'s permissions (READ_REPOSITORY)');
  }
}

// ---------------------------------------------------------------------------------------------
// ThingsBoard

async function checkThingsboard(d: Deps): Promise<void> {
  const url = d.ctx.thingsboard!.url.replace(/\/+$/, '');
  const res = await probe(d, 'thingsboard', `${url}/api/noauth/oauth2Clients`, `check that ThingsBoard runs at ${url}`);
  if (!res) return;
  const creds = await serviceCredential(d, 'thingsboard');
  const setCred = `printf %s "$TB_PASSWORD" | cdm auth set-credential thingsboard --username tenant-admin@<tenant> --context ${d.ctx.name}`;
  if (!creds) {
    d.report.add('thingsboard', 'auth works', 'fail', 'no ThingsBoard credential stored', setCred);
    return;
  }
  let token: string;
  try {
    const login = await d.http.request({ service: 'thingsboard', method: 'POST', url: `${url}/api/auth/login`, json: { username: creds.username, password: creds.password } });
    if (login.status !== 200) {
      d.report.add('thingsboard', 'auth works', 'fail', `login of ${creds.username} answered ${login.status}`, setCred);
      return;
    }
    token = login.json<{ token: string }>().token;
    d.report.add('thingsboard', 'auth works', 'pass', `user ${creds.username}`);
  } catch (err) {
    d.report.add('thingsboard', 'auth works', 'fail', message(err), setCred);
    return;
  }
  const headers = { 'x-authorization': `Bearer ${token}` };
  try {
    const r = await d.http.request({ service: 'thingsboard', method: 'GET', url: `${url}/api/system/info`, headers });
    const version = r.status === 200 ? r.json<{ version?: string }>().version : undefined;
    d.report.add('thingsboard', 'version', version ? 'pass' : 'skip', version ?? 'not disclosed to a tenant administrator');
  } catch (err) {
    d.report.add('thingsboard', 'version', 'skip', message(err));
  }
  try {
    const r = await d.http.request({ service: 'thingsboard', method: 'GET', url: `${url}/api/deviceProfileInfos`, headers, query: { pageSize: 100, page: 0, textSearch: THINGSBOARD_PROFILE } });
    if (r.status !== 200) throw new Error(`GET /api/deviceProfileInfos answered ${r.status}`);
    const found = r.json<{ data: Array<{ name: string }> }>().data.some((p) => p.name === THINGSBOARD_PROFILE);
    d.report.add('thingsboard', `device profile ${THINGSBOARD_PROFILE}`, found ? 'pass' : 'fail', found ? 'present' : 'missing: enrolled devices get the default profile (no X.509 provisioning, no CDM rule chain)',
      'create it: cdm stack up --engine compose (bootstrap), or provision.sh (run as the tenant administrator: the sysadmin cannot create tenant profiles)');
  } catch (err) {
    d.report.add('thingsboard', `device profile ${THINGSBOARD_PROFILE}`, 'fail', message(err), 'check the ThingsBoard user is a tenant administrator');
  }
}

// ---------------------------------------------------------------------------------------------

export interface DoctorResult {
  context: string;
  checks: Check[];
  failed: number;
  warnings: number;
}

export async function runDoctor(f: Factory): Promise<DoctorResult> {
  const ctx = await f.context();
  const { createHttpClient } = await import('../../http/client.js');
  const clients: HttpClient[] = [];
  const newHttp = (opts: HttpClientOptions): HttpClient => {
    const c = createHttpClient({ maxRetries: 0, connectTimeoutMs: 3000, readTimeoutMs: 5000, signal: f.signal, env: f.io.env, ...opts });
    clients.push(c);
    return c;
  };
  const s = f.settings;
  const http = newHttp({ ...(s.caFile !== undefined ? { caFile: s.caFile } : {}), insecure: s.insecure, warn: (l) => f.output().warn(l) });
  const report = new Report();
  const d: Deps = { f, ctx, http, newHttp, now: f.clock, report };
  try {
    const kc: KcState = ctx.keycloak?.url ? await checkKeycloak(d) : {};
    if (!ctx.keycloak?.url) report.add('keycloak', 'configured', 'skip', 'the context has no Keycloak URL');
    if (ctx.stepca?.url) await checkStepca(d);
    else report.add('step-ca', 'configured', 'skip', 'the context has no step-ca URL');
    let tenants: BridgeTenantRow[] | undefined;
    if (ctx.bridge?.url) {
      const rows = await checkBridge(d, kc);
      tenants = rows?.filter((t) => JOINED.has(t.join_state ?? ''));
    }
    if (ctx.type === 'provider' && tenants) {
      if (tenants.length === 0) report.add('bridge', 'joined tenants', 'pass', 'none yet');
      else report.add('bridge', 'joined tenants', 'pass', tenants.map((t) => t.tenant_id).join(', '));
      await checkFederationClients(d, kc, tenants);
      checkSubCaExpiry(d, tenants);
    }
    if (ctx.rabbitmq?.url) await checkRabbitmq(d, tenants);
    if (ctx.hawkbit?.url) await checkHawkbit(d);
    if (ctx.thingsboard?.url) await checkThingsboard(d);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warnings = report.checks.filter((c) => c.status === 'warn').length;
  return { context: ctx.name, checks: report.checks, failed, warnings };
}
