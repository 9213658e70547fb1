// The few hawkBit target calls the device views need (reference PART A): a target, its installed
// and assigned distribution sets, FIQL target search, delete. Kept small and private to the
// device workflows until the shared hawkBit client (src/services/hawkbit/client.ts) is committed;
// then this file becomes a thin adapter over it.
import { AuthError, BackendError, NotFoundError, UsageError, type CdmError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { HttpClient, HttpResponse } from '../../http/types.js';

const SERVICE = 'hawkbit';

export interface HbTarget {
  controllerId: string;
  name: string;
  updateStatus?: string;
  lastControllerRequestAt?: number;
  installedAt?: number;
  ipAddress?: string;
}

export interface HbDistributionSet { id: number; name: string; version: string }

export class HawkbitTargets {
  private readonly base: string;
  private readonly auth: string;

  constructor(private readonly http: HttpClient, url: string, user: string, password: string) {
    this.base = url.replace(/\/+$/, '');
    this.auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  static async open(f: Factory): Promise<HawkbitTargets> {
    const ctx = await f.context();
    if (!ctx.hawkbit?.url) throw new UsageError(`context "${ctx.name}" has no hawkBit URL`, { hint: 'add one with `cdm context add … --hawkbit-url <url> --overwrite`' });
    const cred = (await f.credentials()).service(ctx.name, 'hawkbit');
    if (!cred?.username) throw new UsageError(`context "${ctx.name}" has no hawkBit credential`, { hint: 'printf %s "$PASSWORD" | cdm auth set-credential hawkbit --username <user>' });
    const { resolveSecret } = await import('../../config/secret-ref.js');
    return new HawkbitTargets(await f.http(), ctx.hawkbit.url, cred.username, await resolveSecret(cred.secret, f.io.env));
  }

  async target(id: string): Promise<HbTarget | undefined> {
    const res = await this.get(`/rest/v1/targets/${encodeURIComponent(id)}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw hawkbitError(res, `GET target ${id}`);
    return res.json<HbTarget>();
  }

  async distributionSet(id: string, which: 'installedDS' | 'assignedDS'): Promise<HbDistributionSet | undefined> {
    const res = await this.get(`/rest/v1/targets/${encodeURIComponent(id)}/${which}`);
    if (res.status === 204 || res.status === 404) return undefined;
    if (res.status !== 200) throw hawkbitError(res, `GET ${which} of ${id}`);
    const ds = res.json<HbDistributionSet>();
    return { id: ds.id, name: ds.name, version: ds.version };
  }

  /** Controller ids of every target matching a FIQL query (all pages). */
  async search(q: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let offset = 0; ;) {
      const res = await this.get('/rest/v1/targets', { q, offset, limit: 500 });
      if (res.status === 400) throw new UsageError(`hawkBit refused the query "${q}": ${message(res)}`, { service: SERVICE, status: 400 });
      if (res.status !== 200) throw hawkbitError(res, 'search targets');
      const page = res.json<{ content?: HbTarget[]; total?: number }>();
      const content = page.content ?? [];
      for (const t of content) ids.add(t.controllerId);
      offset += content.length;
      if (content.length === 0 || offset >= (page.total ?? 0)) return ids;
    }
  }

  /** Deletes the target; false when it did not exist. */
  async delete(id: string): Promise<boolean> {
    const res = await this.http.request({ service: SERVICE, method: 'DELETE', url: `${this.base}/rest/v1/targets/${encodeURIComponent(id)}`, headers: { authorization: this.auth } });
    if (res.status === 404) return false;
    if (res.status !== 200 && res.status !== 204) throw hawkbitError(res, `DELETE target ${id}`);
    return true;
  }

  private get(path: string, query?: Record<string, string | number>): Promise<HttpResponse> {
    return this.http.request({ service: SERVICE, method: 'GET', url: `${this.base}${path}`, headers: { authorization: this.auth, accept: 'application/json' }, ...(query ? { query } : {}) });
  }
}

function message(res: HttpResponse): string {
  try {
    const b = JSON.parse(res.text()) as { message?: string; errorCode?: string };
    return b.message ?? b.errorCode ?? `HTTP ${res.status}`;
  } catch {
    return res.text().trim() || `HTTP ${res.status}`;
  }
}

function hawkbitError(res: HttpResponse, what: string): CdmError {
  const text = `hawkBit: ${what}: ${message(res)}`;
  if (res.status === 401 || res.status === 403) return new AuthError(text, { service: SERVICE, status: res.status, hint: 'check the context\'s hawkBit credential' });
  if (res.status === 404) return new NotFoundError(text, { service: SERVICE, status: 404 });
  return new BackendError(text, { service: SERVICE, status: res.status });
}
