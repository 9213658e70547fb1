// Shared plumbing of the bridge's write routes (enroll, delete): the context's bridge URL, the
// Keycloak bearer of the tenant realm, and FastAPI error bodies (`{"detail": …}`) → typed errors.
import { AuthError, BackendError, NotFoundError, UsageError, type CdmError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { TENANT_CONTEXT_HINT } from '../../config/missing-url.js';
import type { HttpMethod, HttpResponse } from '../../http/types.js';

export const SERVICE = 'bridge';

/** Device routes exist only at a tenant's bridge; a provider context's bridge serves tenants and joins. */
export function refuseProviderContext(ctx: { name: string; type: string }): void {
  if (ctx.type === 'provider') {
    throw new UsageError(`context "${ctx.name}" is a provider context; devices are enrolled and managed at a tenant's bridge`, { hint: TENANT_CONTEXT_HINT });
  }
}

/** The context's (tenant) bridge URL, checked before anything is sent. */
export async function bridgeBase(f: Factory): Promise<string> {
  const ctx = await f.context();
  refuseProviderContext(ctx);
  const url = ctx.bridge?.url;
  if (!url) throw new UsageError(`context "${ctx.name}" has no bridge URL`, { hint: 'add one with `cdm context add … --bridge-url <url> --overwrite`' });
  return url.replace(/\/+$/, '');
}

export async function bridgeCall(f: Factory, method: HttpMethod, path: string, json?: unknown): Promise<HttpResponse> {
  const base = await bridgeBase(f);
  const token = await (await f.session()).accessToken();
  return (await f.http()).request({
    service: SERVICE, method, url: `${base}${path}`,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    ...(json === undefined ? {} : { json }),
  });
}

export function bridgeDetail(res: HttpResponse): string {
  try {
    const body = JSON.parse(res.text()) as { detail?: unknown; error?: unknown };
    const d = body.detail ?? body.error;
    if (typeof d === 'string') return d;
    if (Array.isArray(d)) return d.map((x: { msg?: string; loc?: unknown[] }) => `${(x.loc ?? []).join('.')}: ${x.msg ?? ''}`).join('; ');
    if (d !== undefined) return JSON.stringify(d);
  } catch { /* not JSON */ }
  return res.text().trim() || `HTTP ${res.status}`;
}

export function bridgeFailure(res: HttpResponse, call: string): CdmError {
  const message = `bridge: ${call}: ${bridgeDetail(res)}`;
  const details = { service: SERVICE, status: res.status };
  if (res.status === 401) return new AuthError(message, { ...details, hint: 'run `cdm auth login --context <tenant context>`' });
  if (res.status === 403) return new AuthError(message, { ...details, hint: 'the token needs role cdm-admin or cdm-operator of the tenant realm' });
  if (res.status === 404) return new NotFoundError(message, details);
  return new BackendError(message, details);
}
