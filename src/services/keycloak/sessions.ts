// Keycloak admin access for the incident verbs (`cdm tenant logout-all`, `rotate-secrets`), and
// realm-wide logout. Admin calls use the context's stored `keycloak` client credential (a
// confidential client with realm-admin in its own realm, e.g. `cdm-sandbox`) through an in-memory
// client-credentials token, so an operator's own login session is neither used nor replaced; a
// context with no stored client falls back to its login session.
import { discoverRealm } from '../../auth/discovery.js';
import { clientCredentialsGrant } from '../../auth/grants.js';
import { resolveSecret } from '../../config/secret-ref.js';
import { UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../../http/types.js';
import { KeycloakAdmin } from './admin.js';
import type { AdminSession } from './admin-login.js';
import { keycloakError } from './errors.js';

export interface IncidentAdmin {
  /** The context's own realm (where its credential is admin). */
  realm: string;
  context: string;
  session: AdminSession;
  http: HttpClient;
  admin: KeycloakAdmin;
  /** How the admin token is obtained, for reports: `client cdm-sandbox` or `login session`. */
  via: string;
  /** The client id of the context's stored credential, if any. */
  storedClientId?: string;
}

/** The admin API base `{kc}{rel}` of a context's Keycloak, derived from its realm's discovery document. */
export async function adminBase(http: HttpClient, keycloakUrl: string, realm: string): Promise<{ baseUrl: string; tokenEndpoint: string }> {
  const endpoints = await discoverRealm(http, keycloakUrl, realm);
  const suffix = `/realms/${realm}/protocol/openid-connect/token`;
  const tokenPath = new URL(endpoints.token_endpoint).pathname;
  const rel = tokenPath.endsWith(suffix) ? tokenPath.slice(0, -suffix.length) : '';
  const baseUrl = `${new URL(keycloakUrl).origin}${rel}`;
  return { baseUrl, tokenEndpoint: `${baseUrl}${suffix}` };
}

export async function incidentAdmin(f: Factory): Promise<IncidentAdmin> {
  const ctx = await f.context();
  if (!ctx.keycloak?.url) throw new UsageError(`context "${ctx.name}" has no Keycloak URL`, { hint: `cdm context add ${ctx.name} --overwrite … --keycloak-url <url>` });
  const realm = ctx.keycloak.realm;
  const http = await f.http();
  const { baseUrl, tokenEndpoint } = await adminBase(http, ctx.keycloak.url, realm);
  const stored = (await f.credentials()).service(ctx.name, 'keycloak');
  let session: AdminSession;
  let via: string;
  if (stored?.username !== undefined) {
    const clientId = stored.username;
    let cached: { token: string; expiresAt: number } | undefined;
    session = {
      baseUrl,
      async token() {
        if (cached && f.clock() < cached.expiresAt) return cached.token;
        const res = await clientCredentialsGrant(http, tokenEndpoint, { clientId, clientSecret: await resolveSecret(stored.secret, f.io.env) });
        cached = { token: res.access_token, expiresAt: f.clock() + Math.max(5, res.expires_in - 15) * 1000 };
        return cached.token;
      },
    };
    via = `client ${clientId}`;
  } else {
    const oidc = await f.session();
    session = { baseUrl, token: () => oidc.accessToken() };
    via = 'login session';
  }
  return { realm, context: ctx.name, session, http, admin: new KeycloakAdmin(http, session), via, ...(stored?.username !== undefined ? { storedClientId: stored.username } : {}) };
}

export async function adminCall(a: Pick<IncidentAdmin, 'http' | 'session'>, method: HttpMethod, realm: string, path: string, json?: unknown): Promise<HttpResponse> {
  return a.http.request({
    service: 'keycloak', method, url: `${a.session.baseUrl}/admin/realms/${encodeURIComponent(realm)}${path}`,
    headers: { authorization: `Bearer ${await a.session.token()}` }, ...(json !== undefined ? { json } : {}),
    // A realm-wide logout or a secret regeneration must not be replayed blindly.
    ...(method === 'POST' ? { idempotent: false } : {}),
  });
}

/** Keycloak's GlobalRequestResult: admin URLs of clients that were (or could not be) told of the logout. */
export interface LogoutAllResult {
  successRequests: string[];
  failedRequests: string[];
}

/**
 * `POST /admin/realms/{realm}/logout-all`: removes every user session of the realm and moves its
 * not-before, so refresh tokens (and access tokens checked by introspection) issued earlier are refused.
 */
export async function logoutAll(a: Pick<IncidentAdmin, 'http' | 'session'>, realm: string): Promise<LogoutAllResult> {
  const res = await adminCall(a, 'POST', realm, '/logout-all');
  if (res.status !== 200 && res.status !== 204) throw keycloakError(res, `log out all sessions of realm ${realm}`);
  let body: { successRequests?: unknown; failedRequests?: unknown } = {};
  if (res.status === 200) {
    try { body = res.json<typeof body>() ?? {}; } catch { body = {}; }
  }
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { successRequests: list(body.successRequests), failedRequests: list(body.failedRequests) };
}
