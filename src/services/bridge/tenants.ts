// The provider bridge's tenant administration (cdm-platform.md §2.2, commands.md §7): prepare a
// join key, the legacy join requests (list, approve, reject), the tenant register
// (`GET /portal/admin/tenants`) and tenant removal (`DELETE /portal/admin/tenants/{id}`).
// Every route needs a Bearer token of the provider `cdm` realm with role cdm-admin or
// platform-admin: the token comes from the context's Keycloak session (a stored client
// credential logs in by itself).
import { AuthError, BackendError, ConflictError, NotFoundError, UsageError, type CdmError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { HttpMethod, HttpResponse } from '../../http/types.js';

export const SERVICE = 'bridge';

/** Upstream's rule for tenant ids (lower-case alphanumerics and hyphens). */
export const TENANT_ID_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function checkTenantId(id: string): string {
  if (!TENANT_ID_PATTERN.test(id) || id.length > 63) {
    throw new UsageError(`invalid tenant id "${id}": use lower-case letters, digits and inner hyphens (at most 63)`);
  }
  if (id === 'cdm' || id === 'master') throw new UsageError(`"${id}" is a reserved realm name, not a tenant id`);
  return id;
}

export interface PreparedTenant {
  tenant_id: string;
  display_name: string;
  join_key: string;
  expires_at: string;
  hint?: string;
}

export interface BridgeTenant {
  tenant_id: string;
  display_name: string;
  join_state: string;
  join_method: string | null;
  sub_ca_serial: string | null;
  sub_ca_subject: string | null;
  sub_ca_not_after: string | null;
  mqtt_bridge_cert_serial?: string | null;
  rabbitmq_vhost: string | null;
  rabbitmq_user: string | null;
  cdm_idp_client_id: string | null;
  keycloak_url?: string | null;
  wg_pubkey?: string | null;
  provisioning_errors?: Record<string, string>;
  prepared_at?: string | null;
  joined_at?: string | null;
  removed_at?: string | null;
  updated_at?: string | null;
  open_join_keys?: number;
  join_key_expires_at?: string | null;
}

export interface JoinRequest {
  tenant_id: string;
  display_name: string;
  status: string;
  requested_at: string;
  approved_at: string | null;
  rejected_at: string | null;
  rejected_reason: string | null;
  keycloak_url?: string;
  wg_pubkey?: string;
}

export interface ApproveResult {
  tenant_id: string;
  status: string;
  results: Record<string, string>;
  errors: Record<string, string>;
}

export interface RemoveResult {
  realm_id: string;
  results: Record<string, string>;
  errors: Record<string, string>;
}

/** The message a bridge error carries: FastAPI's `detail` (string or list) or the portal's `error`. */
export function bridgeDetail(res: HttpResponse): string {
  try {
    const body = JSON.parse(res.text()) as { detail?: unknown; error?: unknown };
    const d = body.detail ?? body.error;
    if (typeof d === 'string') return d;
    if (Array.isArray(d)) return d.map((x: { msg?: string; loc?: unknown[] }) => `${(x.loc ?? []).join('.')}: ${x.msg ?? ''}`).join('; ');
    if (d !== undefined) return JSON.stringify(d);
  } catch { /* not JSON */ }
  return `HTTP ${res.status}`;
}

export function bridgeError(res: HttpResponse, call: string, notFoundHint?: string): CdmError {
  const message = `bridge: ${call}: ${bridgeDetail(res)}`;
  const d = { service: SERVICE, status: res.status };
  if (res.status === 401) return new AuthError(message, { ...d, hint: 'run `cdm auth login` on the provider context' });
  if (res.status === 403) return new AuthError(message, { ...d, hint: 'the token lacks role cdm-admin or platform-admin' });
  if (res.status === 404) return new NotFoundError(message, { ...d, ...(notFoundHint ? { hint: notFoundHint } : {}) });
  if (res.status === 409) return new ConflictError(message, d);
  return new BackendError(message, d);
}

/** A provider bridge reached with the admin token of a provider context. */
export class BridgeAdmin {
  private constructor(private readonly f: Factory, readonly url: string, readonly contextName: string) {}

  static async open(f: Factory): Promise<BridgeAdmin> {
    const ctx = await f.context();
    if (ctx.type !== 'provider') {
      throw new UsageError(`context "${ctx.name}" is a ${ctx.type} context; tenant administration runs against the provider bridge`, { hint: 'pass --context <provider context> (e.g. local-provider)' });
    }
    const url = ctx.bridge?.url;
    if (!url) throw new UsageError(`context "${ctx.name}" has no bridge URL`, { hint: `cdm context add ${ctx.name} --overwrite … --bridge-url <url>` });
    return new BridgeAdmin(f, url.replace(/\/+$/, ''), ctx.name);
  }

  private async call(method: HttpMethod, path: string, json?: unknown): Promise<HttpResponse> {
    const token = await (await this.f.session()).accessToken();
    return (await this.f.http()).request({
      service: SERVICE, method, url: `${this.url}${path}`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      ...(json !== undefined ? { json } : {}),
    });
  }

  async prepare(tenantId: string, displayName: string): Promise<PreparedTenant> {
    const res = await this.call('POST', '/portal/admin/tenants/prepare', { tenant_id: tenantId, display_name: displayName });
    if (res.status !== 200 && res.status !== 201) throw bridgeError(res, 'POST /portal/admin/tenants/prepare');
    const body = res.json<PreparedTenant>();
    if (typeof body?.join_key !== 'string' || !body.join_key) throw new BackendError('bridge: prepare returned no join key', { service: SERVICE });
    return body;
  }

  async tenants(): Promise<BridgeTenant[]> {
    const listed = await this.tenantRegister();
    if ('missing' in listed) {
      throw new BackendError(`the bridge at ${this.url} does not provide GET /portal/admin/tenants (HTTP ${listed.missing}): it predates the tenant register cdm needs (commands.md §7)`, {
        service: SERVICE, status: listed.missing, hint: 'list key-joined tenants from the provider Keycloak (clients cdm-federation-*) and `cdm tenant requests` by hand',
      });
    }
    return listed.tenants;
  }

  /** The register, or the status of its missing route (upstream's bridge has only POST there: 405). */
  async tenantRegister(): Promise<{ tenants: BridgeTenant[] } | { missing: number }> {
    const res = await this.call('GET', '/portal/admin/tenants');
    if (res.status === 404 || res.status === 405) return { missing: res.status };
    if (res.status !== 200) throw bridgeError(res, 'GET /portal/admin/tenants');
    const body = res.json<{ tenants?: unknown }>();
    if (!Array.isArray(body?.tenants)) throw new BackendError('bridge: GET /portal/admin/tenants returned no tenant list', { service: SERVICE });
    return { tenants: body.tenants as BridgeTenant[] };
  }

  async tenant(id: string): Promise<BridgeTenant> {
    const t = (await this.tenants()).find((x) => x.tenant_id === id);
    if (!t) throw new NotFoundError(`tenant "${id}" is not known to the provider bridge (${this.url})`, { service: SERVICE, status: 404, hint: 'cdm tenant list' });
    return t;
  }

  async requests(): Promise<JoinRequest[]> {
    const res = await this.call('GET', '/portal/admin/join-requests');
    if (res.status !== 200) throw bridgeError(res, 'GET /portal/admin/join-requests');
    const body = res.json<{ join_requests?: unknown }>();
    if (!Array.isArray(body?.join_requests)) throw new BackendError('bridge: GET /portal/admin/join-requests returned no list', { service: SERVICE });
    return body.join_requests as JoinRequest[];
  }

  async approve(id: string): Promise<ApproveResult> {
    const res = await this.call('POST', `/portal/admin/tenants/${encodeURIComponent(id)}/approve`, {});
    if (res.status !== 200) throw bridgeError(res, `approve ${id}`, 'cdm tenant requests lists the pending requests');
    const b = res.json<ApproveResult>();
    return { tenant_id: b.tenant_id, status: b.status, results: b.results ?? {}, errors: b.errors ?? {} };
  }

  async reject(id: string, reason: string): Promise<{ tenant_id: string; status: string }> {
    const res = await this.call('POST', `/portal/admin/tenants/${encodeURIComponent(id)}/reject`, { reason });
    if (res.status !== 200) throw bridgeError(res, `reject ${id}`, 'cdm tenant requests lists the pending requests');
    return res.json();
  }

  async remove(id: string): Promise<RemoveResult> {
    const res = await this.call('DELETE', `/portal/admin/tenants/${encodeURIComponent(id)}`);
    if (res.status !== 200 && res.status !== 204) throw bridgeError(res, `DELETE /portal/admin/tenants/${id}`);
    if (res.status === 204) return { realm_id: id, results: {}, errors: {} };
    const b = res.json<RemoveResult>();
    return { realm_id: b.realm_id ?? id, results: b.results ?? {}, errors: b.errors ?? {} };
  }
}
