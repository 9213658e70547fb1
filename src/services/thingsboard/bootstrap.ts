// The minimal ThingsBoard REST client `cdm stack up` needs to prepare a tenant stack: log in,
// replace the image's default sysadmin password, make sure a tenant and its administrator exist
// (device profiles are tenant entities: a sysadmin cannot create them, which is why upstream's
// provision.sh could not work), and create the device profile `cdm-x509`. Every step reads first
// and writes only what is missing. Errors keep ThingsBoard's `{status, message, errorCode}`.
import { AuthError, BackendError } from '../../core/errors.js';
import { thingsboardError } from './errors.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../../http/types.js';

export type Ensured = 'created' | 'updated' | 'unchanged';

interface EntityId { entityType?: string; id: string }
interface PageData<T> { data: T[]; hasNext: boolean }
export interface Tenant { id: EntityId; title: string }
export interface TbUser { id: EntityId; email: string; authority: string }
export interface DeviceProfile { id?: EntityId; name: string; [key: string]: unknown }

/** The password the tb-postgres image gives sysadmin@thingsboard.org on first start. */
export const DEFAULT_SYSADMIN_PASSWORD = 'sysadmin';

export class ThingsboardBootstrap {
  private readonly base: string;
  private token: string | undefined;

  constructor(private readonly http: HttpClient, url: string) {
    this.base = url.replace(/\/+$/, '');
  }

  private call(method: HttpMethod, path: string, json?: unknown, query?: Record<string, string | number | boolean>): Promise<HttpResponse> {
    const headers: Record<string, string> = this.token ? { 'x-authorization': `Bearer ${this.token}` } : {};
    return this.http.request({ service: 'thingsboard', method, url: `${this.base}${path}`, headers, ...(json !== undefined ? { json } : {}), ...(query ? { query } : {}) });
  }

  private async ok<T>(res: HttpResponse, what: string): Promise<T> {
    if (res.status !== 200) throw thingsboardError(res, what);
    return res.body.length === 0 ? (undefined as T) : res.json<T>();
  }

  /** `POST /api/auth/login`; false on wrong credentials (401), so callers can try another password. */
  async tryLogin(username: string, password: string): Promise<boolean> {
    this.token = undefined;
    const res = await this.call('POST', '/api/auth/login', { username, password }, undefined);
    if (res.status === 401) return false;
    this.token = (await this.ok<{ token: string }>(res, `ThingsBoard login as ${username}`)).token;
    return true;
  }

  async login(username: string, password: string): Promise<void> {
    if (!(await this.tryLogin(username, password))) throw new AuthError(`ThingsBoard login as ${username}: Invalid username or password`, { service: 'thingsboard', status: 401 });
  }

  /** Logs the sysadmin in with `password`; on first use, logs in with the default and sets `password`. */
  async ensureSysadminPassword(email: string, password: string): Promise<Ensured> {
    if (await this.tryLogin(email, password)) return 'unchanged';
    await this.login(email, DEFAULT_SYSADMIN_PASSWORD);
    await this.ok(await this.call('POST', '/api/auth/changePassword', { currentPassword: DEFAULT_SYSADMIN_PASSWORD, newPassword: password }), 'change the sysadmin password');
    await this.login(email, password);
    return 'updated';
  }

  private async findPaged<T>(path: string, textSearch: string, match: (t: T) => boolean, what: string): Promise<T | undefined> {
    for (let page = 0; ; page++) {
      const data = await this.ok<PageData<T>>(await this.call('GET', path, undefined, { pageSize: 100, page, textSearch }), what);
      const hit = data.data.find(match);
      if (hit || !data.hasNext) return hit;
    }
  }

  /** As sysadmin: the tenant titled `title`, created when absent. */
  async ensureTenant(title: string): Promise<{ outcome: Ensured; tenant: Tenant }> {
    const existing = await this.findPaged<Tenant>('/api/tenants', title, (t) => t.title === title, 'list tenants');
    if (existing) return { outcome: 'unchanged', tenant: existing };
    const tenant = await this.ok<Tenant>(await this.call('POST', '/api/tenant', { title }), `create tenant ${title}`);
    return { outcome: 'created', tenant };
  }

  /** As sysadmin: a TENANT_ADMIN user of `tenant`, created and activated with `password` when absent. */
  async ensureTenantAdmin(tenant: Tenant, email: string, password: string): Promise<Ensured> {
    const existing = await this.findPaged<TbUser>(`/api/tenant/${tenant.id.id}/users`, email, (u) => u.email === email, 'list tenant users');
    if (existing) return 'unchanged';
    const user = await this.ok<TbUser>(await this.call('POST', '/api/user', { email, authority: 'TENANT_ADMIN', tenantId: { entityType: 'TENANT', id: tenant.id.id } }, { sendActivationMail: false }), `create tenant administrator ${email}`);
    const link = (await this.call('GET', `/api/user/${user.id.id}/activationLink`)).text();
    const activateToken = /activateToken=([^&\s"]+)/.exec(link)?.[1];
    if (!activateToken) throw new BackendError(`ThingsBoard gave no activation token for ${email}`, { service: 'thingsboard' });
    const saved = this.token;
    this.token = undefined; // the activation endpoint is public
    await this.ok(await this.call('POST', '/api/noauth/activate', { activateToken: decodeURIComponent(activateToken), password }, { sendActivationMail: false }), `activate ${email}`);
    this.token = saved;
    return 'created';
  }

  deviceProfile(name: string): Promise<DeviceProfile | undefined> {
    return this.findPaged<DeviceProfile>('/api/deviceProfiles', name, (p) => p.name === name, 'list device profiles');
  }

  /** As tenant admin: the device profile `profile.name`, created when absent. */
  async ensureDeviceProfile(profile: DeviceProfile): Promise<Ensured> {
    if (await this.deviceProfile(profile.name)) return 'unchanged';
    await this.ok(await this.call('POST', '/api/deviceProfile', profile), `create device profile ${profile.name}`);
    return 'created';
  }
}
