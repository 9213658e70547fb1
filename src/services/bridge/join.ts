// The tenant's side of the provider JOIN (cdm-platform.md §2.2): the key handshake
// `POST /portal/admin/join` (header X-Join-Key) and the legacy request + status poll. None of them
// carries a provider credential (the tenant holds none yet); the join key is a secret and only
// ever travels in the header (the HTTP trace redacts it).
import { AuthError, BackendError, ConflictError, NotFoundError, UsageError } from '../../core/errors.js';
import type { HttpClient } from '../../http/types.js';
import { bridgeDetail, bridgeError, SERVICE } from './tenants.js';

export interface JoinSubmission {
  sub_ca_csr: string;
  wg_pubkey: string;
  keycloak_url?: string;
  mqtt_bridge_csr?: string;
}

export interface JoinBundle {
  tenant_id: string;
  status: string;
  signed_cert: string;
  root_ca_cert: string;
  rabbitmq_url: string;
  rabbitmq_vhost: string;
  rabbitmq_user: string;
  mqtt_bridge_cert: string | null;
  cdm_idp_client_id: string | null;
  cdm_idp_client_secret: string | null;
  cdm_discovery_url: string | null;
  wg_server_pubkey?: string | null;
  wg_server_endpoint?: string | null;
  wg_client_ip?: string | null;
  rejected_reason?: string | null;
}

export function providerBase(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--provider-url "${url}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--provider-url "${url}" must be http(s)`);
  return url.replace(/\/+$/, '');
}

/** Redeems a join key. The bridge's 401 texts (invalid, expired, already used) are exit 4. */
export async function joinWithKey(http: HttpClient, base: string, key: string, body: JoinSubmission): Promise<JoinBundle> {
  const res = await http.request({ service: SERVICE, method: 'POST', url: `${base}/portal/admin/join`, headers: { 'x-join-key': key, accept: 'application/json' }, json: body });
  if (res.status === 401 || res.status === 403) {
    throw new AuthError(`bridge refused the join key: ${bridgeDetail(res)}`, { service: SERVICE, status: res.status, hint: 'ask the provider for a new key: cdm tenant prepare <id> (a key works once and for 7 days)' });
  }
  if (res.status === 404 || res.status === 405) {
    throw new BackendError(`the bridge at ${base} has no POST /portal/admin/join (HTTP ${res.status})`, { service: SERVICE, status: res.status, hint: 'check --provider-url, or use the legacy flow: --request --wait' });
  }
  if (res.status !== 200) throw bridgeError(res, 'POST /portal/admin/join');
  return res.json<JoinBundle>();
}

export async function fileJoinRequest(http: HttpClient, base: string, tenantId: string, body: JoinSubmission & { display_name: string }): Promise<{ status: string; poll_url?: string }> {
  const res = await http.request({ service: SERVICE, method: 'POST', url: `${base}/portal/admin/join-request/${encodeURIComponent(tenantId)}`, json: body });
  if (res.status === 409) throw new ConflictError(`bridge: join request for ${tenantId}: ${bridgeDetail(res)}`, { service: SERVICE, status: 409 });
  if (res.status !== 202 && res.status !== 200) throw bridgeError(res, `POST /portal/admin/join-request/${tenantId}`);
  return res.json();
}

export async function joinStatus(http: HttpClient, base: string, tenantId: string): Promise<JoinBundle> {
  const res = await http.request({ service: SERVICE, method: 'GET', url: `${base}/portal/admin/tenants/${encodeURIComponent(tenantId)}/join-status`, headers: { accept: 'application/json' } });
  if (res.status === 404) throw new NotFoundError(`bridge: ${bridgeDetail(res)}`, { service: SERVICE, status: 404 });
  if (res.status !== 200) throw bridgeError(res, `GET join-status of ${tenantId}`);
  return res.json<JoinBundle>();
}
