// The minimal hawkBit Management API client `cdm stack up` needs to prepare a tenant: software
// module types, distribution set types and tenant system configs, each created or set only when
// absent or different (a second run writes nothing). Basic auth; errors keep hawkBit's
// ExceptionInfo (`errorCode`, `message`) with service and status. Built on the full client beside it.
import { BackendError } from '../../core/errors.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../../http/types.js';
import { HawkbitClient } from './client.js';
import { hawkbitError } from './errors.js';

export type Ensured = 'created' | 'updated' | 'unchanged';

export interface ModuleType { id?: number; key: string; name: string; description?: string; maxAssignments?: number }
export interface DistributionSetType { id?: number; key: string; name: string; description?: string; mandatorymodules?: Array<{ id: number }>; optionalmodules?: Array<{ id: number }> }

interface Paged<T> { content: T[]; total: number }

export class HawkbitBootstrap {
  private readonly client: HawkbitClient;

  constructor(http: HttpClient, url: string, username: string, password: string) {
    this.client = new HawkbitClient(http, url, username, password);
  }

  private call(method: HttpMethod, path: string, json?: unknown, query?: Record<string, string | number>): Promise<HttpResponse> {
    return this.client.call(method, path, { ...(json !== undefined ? { json } : {}), ...(query ? { query } : {}) });
  }

  /** `GET /rest/v1/userinfo`: the credentials work. */
  async userinfo(): Promise<{ tenant?: string; username?: string }> {
    const res = await this.call('GET', '/userinfo');
    if (res.status !== 200) throw hawkbitError(res, 'hawkBit login');
    return res.json();
  }

  private async findByKey<T>(path: string, key: string, what: string): Promise<T | undefined> {
    const res = await this.call('GET', path, undefined, { q: `key==${key}`, limit: 1 });
    if (res.status !== 200) throw hawkbitError(res, what);
    return res.json<Paged<T>>().content[0];
  }

  /** POST bodies are arrays; the created types come back as an array (201). */
  private async createOne<T>(path: string, body: object, what: string): Promise<T | 'exists'> {
    const res = await this.call('POST', path, [body]);
    if (res.status === 409) return 'exists';
    if (res.status !== 201 && res.status !== 200) throw hawkbitError(res, what);
    return res.json<T[]>()[0]!;
  }

  moduleType(key: string): Promise<ModuleType | undefined> {
    return this.findByKey<ModuleType>('/softwaremoduletypes', key, `find software module type ${key}`);
  }

  async ensureModuleType(type: ModuleType): Promise<{ outcome: Ensured; id: number }> {
    const existing = await this.moduleType(type.key);
    if (existing?.id !== undefined) return { outcome: 'unchanged', id: existing.id };
    const made = await this.createOne<ModuleType>('/softwaremoduletypes', type, `create software module type ${type.key}`);
    const id = made === 'exists' ? (await this.moduleType(type.key))?.id : made.id;
    if (id === undefined) throw new BackendError(`hawkBit did not return the id of software module type ${type.key}`, { service: 'hawkbit' });
    return { outcome: made === 'exists' ? 'unchanged' : 'created', id };
  }

  distributionSetType(key: string): Promise<DistributionSetType | undefined> {
    return this.findByKey<DistributionSetType>('/distributionsettypes', key, `find distribution set type ${key}`);
  }

  async ensureDistributionSetType(type: DistributionSetType): Promise<Ensured> {
    if (await this.distributionSetType(type.key)) return 'unchanged';
    const made = await this.createOne<DistributionSetType>('/distributionsettypes', type, `create distribution set type ${type.key}`);
    return made === 'exists' ? 'unchanged' : 'created';
  }

  /** Tenant system config (`/system/configs/{key}`), set only when its value differs. */
  async ensureSystemConfig(key: string, value: unknown): Promise<Ensured> {
    const path = `/system/configs/${encodeURIComponent(key)}`;
    const res = await this.call('GET', path);
    if (res.status !== 200 && res.status !== 404) throw hawkbitError(res, `read system config ${key}`);
    if (res.status === 200 && JSON.stringify(res.json<{ value?: unknown }>().value) === JSON.stringify(value)) return 'unchanged';
    const put = await this.call('PUT', path, { value });
    if (put.status !== 200 && put.status !== 204) throw hawkbitError(put, `set system config ${key}`);
    return 'updated';
  }
}
