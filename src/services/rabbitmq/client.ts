// Typed client of the RabbitMQ management HTTP API (Basic auth). Writes are PUTs the broker makes
// idempotent, so the ensure* helpers read first and only write what differs: a second run sends
// no write at all. Names are percent-encoded whole (the default vhost is "/").
import type { HttpClient, HttpResponse } from '../../http/types.js';
import { rabbitError } from './errors.js';

export type Ensured = 'created' | 'updated' | 'unchanged';

export interface Permissions {
  configure: string;
  write: string;
  read: string;
}

export interface VhostInfo {
  name: string;
  description?: string;
}

export interface UserInfo {
  name: string;
  tags: string[] | string;
}

export class RabbitMqClient {
  private readonly base: string;
  private readonly auth: string;

  constructor(private readonly http: HttpClient, url: string, username: string, password: string) {
    // The API lives at <url>/api; a URL ending in /api is accepted too.
    this.base = `${url.replace(/\/+$/, '').replace(/\/api$/, '')}/api`;
    this.auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  private async call(method: 'GET' | 'PUT' | 'DELETE', path: string, json?: unknown): Promise<HttpResponse> {
    return this.http.request({ service: 'rabbitmq', method, url: `${this.base}${path}`, headers: { authorization: this.auth }, ...(json !== undefined ? { json } : {}) });
  }

  private async getOrUndefined<T>(path: string, what: string): Promise<T | undefined> {
    const res = await this.call('GET', path);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw rabbitError(res, what);
    return res.json<T>();
  }

  /** The broker answers (and the credentials work): `GET /api/overview`. */
  async overview(): Promise<{ rabbitmq_version?: string; cluster_name?: string }> {
    const res = await this.call('GET', '/overview');
    if (res.status !== 200) throw rabbitError(res, 'RabbitMQ overview');
    return res.json();
  }

  vhost(name: string): Promise<VhostInfo | undefined> {
    return this.getOrUndefined(`/vhosts/${encodeURIComponent(name)}`, `read vhost ${name}`);
  }

  async putVhost(name: string, description?: string): Promise<void> {
    const res = await this.call('PUT', `/vhosts/${encodeURIComponent(name)}`, description === undefined ? {} : { description });
    if (res.status !== 201 && res.status !== 204) throw rabbitError(res, `create vhost ${name}`);
  }

  async ensureVhost(name: string, description?: string): Promise<Ensured> {
    const existing = await this.vhost(name);
    if (existing && (description === undefined || existing.description === description)) return 'unchanged';
    await this.putVhost(name, description);
    return existing ? 'updated' : 'created';
  }

  user(name: string): Promise<UserInfo | undefined> {
    return this.getOrUndefined(`/users/${encodeURIComponent(name)}`, `read user ${name}`);
  }

  permissions(vhost: string, user: string): Promise<Permissions | undefined> {
    return this.getOrUndefined(`/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, `read permissions of ${user} on ${vhost}`);
  }

  async putPermissions(vhost: string, user: string, perms: Permissions): Promise<void> {
    const res = await this.call('PUT', `/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, perms);
    if (res.status !== 201 && res.status !== 204) throw rabbitError(res, `grant ${user} on vhost ${vhost}`);
  }

  async ensurePermissions(vhost: string, user: string, perms: Permissions): Promise<Ensured> {
    const existing = await this.permissions(vhost, user);
    if (existing && existing.configure === perms.configure && existing.write === perms.write && existing.read === perms.read) return 'unchanged';
    await this.putPermissions(vhost, user, perms);
    return existing ? 'updated' : 'created';
  }
}
