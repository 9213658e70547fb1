// Keycloak federation of a tenant with the provider (cdm-platform.md §4.5): the provider realm
// `cdm` holds the confidential client `cdm-federation-<tenant>` (created by the bridge at JOIN),
// and the tenant realm registers the provider as OIDC identity provider `cdm-provider`.
// The admin API is reached with the context's own Keycloak session (a stored client credential
// with realm-admin logs in by itself), not with master-realm admin credentials.
import { discoverRealm } from '../../auth/discovery.js';
import { BackendError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../../http/types.js';
import type { AdminSession } from './admin-login.js';
import { KeycloakAdmin, type ClientRep } from './admin.js';
import { keycloakError } from './errors.js';

export const PROVIDER_IDP_ALIAS = 'cdm-provider';
export const federationClientId = (tenant: string): string => `cdm-federation-${tenant}`;

export interface IdpRep {
  alias: string;
  displayName?: string;
  providerId: string;
  enabled?: boolean;
  trustEmail?: boolean;
  storeToken?: boolean;
  config?: Record<string, string>;
}

/** Admin access to the realm of a context, with that context's session token. */
export interface RealmAdmin {
  realm: string;
  session: AdminSession;
  http: HttpClient;
  admin: KeycloakAdmin;
}

export async function realmAdmin(f: Factory): Promise<RealmAdmin> {
  const ctx = await f.context();
  if (!ctx.keycloak?.url) throw new UsageError(`context "${ctx.name}" has no Keycloak URL`, { hint: `cdm context add ${ctx.name} --overwrite … --keycloak-url <url>` });
  const realm = ctx.keycloak.realm;
  const http = await f.http();
  const endpoints = await discoverRealm(http, ctx.keycloak.url, realm);
  const suffix = `/realms/${realm}/protocol/openid-connect/token`;
  const tokenPath = new URL(endpoints.token_endpoint).pathname;
  const rel = tokenPath.endsWith(suffix) ? tokenPath.slice(0, -suffix.length) : '';
  const baseUrl = `${new URL(ctx.keycloak.url).origin}${rel}`;
  const oidc = await f.session();
  const session: AdminSession = { baseUrl, token: () => oidc.accessToken() };
  return { realm, session, http, admin: new KeycloakAdmin(http, session) };
}

async function call(a: RealmAdmin, method: HttpMethod, path: string, json?: unknown): Promise<HttpResponse> {
  return a.http.request({
    service: 'keycloak', method, url: `${a.session.baseUrl}/admin/realms/${encodeURIComponent(a.realm)}${path}`,
    headers: { authorization: `Bearer ${await a.session.token()}` }, ...(json !== undefined ? { json } : {}),
  });
}

export async function getIdp(a: RealmAdmin, alias: string): Promise<IdpRep | undefined> {
  const res = await call(a, 'GET', `/identity-provider/instances/${encodeURIComponent(alias)}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw keycloakError(res, `read identity provider ${alias}`);
  return res.json<IdpRep>();
}

/** What import-config derives from a discovery document and the IdP keeps. */
const ENDPOINT_KEYS = ['issuer', 'authorizationUrl', 'tokenUrl', 'userInfoUrl', 'jwksUrl', 'logoutUrl', 'tokenIntrospectionUrl', 'validateSignature'];

/**
 * The provider's endpoints as Keycloak derives them from its discovery document
 * (`POST …/identity-provider/import-config`, fetched by the tenant Keycloak itself, which must reach
 * the provider anyway to broker logins): authorizationUrl, tokenUrl, userInfoUrl, jwksUrl, issuer,
 * logoutUrl, …. Keycloak reads those keys when brokering; `metadataDescriptorUrl` alone fills none.
 */
export async function providerEndpoints(a: RealmAdmin, discoveryUrl: string): Promise<Record<string, string>> {
  // Already imported from this document (a re-run): nothing to ask.
  const current = (await getIdp(a, PROVIDER_IDP_ALIAS))?.config;
  if (current?.['metadataDescriptorUrl'] === discoveryUrl && current['authorizationUrl'] && current['tokenUrl']) {
    return Object.fromEntries(ENDPOINT_KEYS.filter((k) => current[k] !== undefined).map((k) => [k, current[k]!]));
  }
  const res = await call(a, 'POST', '/identity-provider/import-config', { providerId: 'oidc', fromUrl: discoveryUrl });
  if (res.status !== 200) throw keycloakError(res, `read the provider's OpenID configuration ${discoveryUrl} through the tenant Keycloak`);
  const config = res.json<Record<string, unknown>>();
  const endpoints = Object.fromEntries(ENDPOINT_KEYS.filter((k) => typeof config?.[k] === 'string').map((k) => [k, config[k] as string]));
  if (!endpoints['authorizationUrl'] || !endpoints['tokenUrl']) {
    throw new BackendError(`Keycloak found no authorization or token endpoint in ${discoveryUrl}`, { service: 'keycloak' });
  }
  return endpoints;
}

/**
 * The `cdm-provider` representation: what init-sub-ca.sh creates (reference §4.5) plus the
 * provider's endpoints, without which that IdP cannot broker a login.
 */
export function providerIdp(clientId: string, clientSecret: string, discoveryUrl: string, endpoints: Record<string, string>): IdpRep {
  return {
    alias: PROVIDER_IDP_ALIAS, displayName: 'CDM Platform (Provider)', providerId: 'oidc', enabled: true, trustEmail: true, storeToken: false,
    config: {
      ...endpoints, clientId, clientSecret, metadataDescriptorUrl: discoveryUrl, useJwksUrl: 'true', syncMode: 'FORCE', defaultScope: 'openid profile email roles', clientAuthMethod: 'client_secret_post',
    },
  };
}

/**
 * Creates the IdP when absent; an existing one is updated when its client id, discovery URL or
 * (always, since Keycloak masks it) its secret must change. The secret is sent again only when the
 * client id or URL differ or `secretChanged` says so, so a re-run with the same bundle writes nothing.
 */
export async function ensureIdp(a: RealmAdmin, rep: IdpRep, secretChanged: boolean): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await getIdp(a, rep.alias);
  if (!existing) {
    const res = await call(a, 'POST', '/identity-provider/instances', rep);
    if (res.status === 201 || res.status === 204) return 'created';
    if (res.status !== 409) throw keycloakError(res, `create identity provider ${rep.alias}`);
  }
  const cur = existing ?? (await getIdp(a, rep.alias));
  const differs = !cur || secretChanged || Object.entries(rep.config ?? {}).some(([k, v]) => k !== 'clientSecret' && cur.config?.[k] !== v)
    || rep.providerId !== cur.providerId || (rep.enabled !== undefined && cur.enabled !== rep.enabled);
  if (!differs) return 'unchanged';
  const res = await call(a, 'PUT', `/identity-provider/instances/${encodeURIComponent(rep.alias)}`, { ...cur, ...rep, config: { ...cur?.config, ...rep.config } });
  if (res.status !== 204 && res.status !== 200) throw keycloakError(res, `update identity provider ${rep.alias}`);
  return 'updated';
}

export async function federationClient(a: RealmAdmin, tenant: string): Promise<ClientRep | undefined> {
  return a.admin.client(a.realm, federationClientId(tenant));
}

/** Deletes `cdm-federation-<tenant>`; false when it was already gone. */
export async function deleteFederationClient(a: RealmAdmin, tenant: string): Promise<boolean> {
  const c = await federationClient(a, tenant);
  if (!c?.id) return false;
  const res = await call(a, 'DELETE', `/clients/${c.id}`);
  if (res.status === 404) return false;
  if (res.status !== 204 && res.status !== 200) throw keycloakError(res, `delete client ${c.clientId}`);
  return true;
}
