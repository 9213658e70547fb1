// RabbitMQ management API calls of the JOIN (cdm-platform.md §3.3), Basic auth, names
// percent-encoded. The MQTT-bridge user gets `password_hash: ""` — no password login at all, only
// certificate (EXTERNAL) login — instead of upstream's empty `password` (§10.2 #15).
import { BackendError } from './errors.js';
import { describe, HttpClient } from './http-client.js';

const enc = encodeURIComponent;

export class RabbitMqClient {
  private readonly http: HttpClient;
  private readonly auth: string;

  constructor(readonly url: string, username: string, password: string) {
    this.http = new HttpClient('RabbitMQ', `${url.replace(/\/+$/, '')}/api`);
    this.auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  async provisionTenant(vhost: string, user: string, tenantId: string): Promise<void> {
    await this.expect('PUT', `/vhosts/${enc(vhost)}`, [201, 204], { description: `Tenant vHost: ${tenantId}` });
    await this.expect('PUT', `/users/${enc(user)}`, [201, 204], { password_hash: '', tags: 'none' });
    await this.expect('PUT', `/permissions/${enc(vhost)}/${enc(user)}`, [201, 204], { configure: '.*', write: '.*', read: '.*' });
  }

  /** Upstream's DELETE /portal/admin/tenants: the vhost goes (204, or 404 when already gone). */
  async deleteVhost(vhost: string): Promise<void> {
    await this.expect('DELETE', `/vhosts/${enc(vhost)}`, [204, 404]);
  }

  private async expect(method: string, path: string, ok: number[], body?: unknown): Promise<void> {
    const reply = await this.http.call(method, path, { headers: { authorization: this.auth }, ...(body === undefined ? {} : { body }) });
    if (!ok.includes(reply.status)) throw new BackendError('RabbitMQ', reply.status, `RabbitMQ ${method} ${path} failed: ${describe(reply)}`);
  }

  close(): void {
    this.http.close();
  }
}
