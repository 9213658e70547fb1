// hawkBit Management API calls of enrollment and the connect webhook (cdm-platform.md §3.2):
// Basic auth, GET the target (404 = absent), create it with a one-element array. Upstream then
// PUTs /targets/{id}/attributes, which hawkBit's Management API does not offer (attributes come
// from the device through DDI configData); the bridge keeps device_type in its own record instead.
import { BackendError } from './errors.js';
import { describe, HttpClient } from './http-client.js';

export class HawkbitClient {
  private readonly http: HttpClient;
  private readonly auth: string;

  constructor(url: string, username: string, password: string) {
    this.http = new HttpClient('hawkBit', url);
    this.auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  async exists(controllerId: string): Promise<boolean> {
    const r = await this.http.call('GET', `/rest/v1/targets/${encodeURIComponent(controllerId)}`, { headers: { authorization: this.auth } });
    if (r.status === 404) return false;
    if (r.status === 200) return true;
    throw new BackendError('hawkBit', r.status, `hawkBit query failed: ${describe(r)}`);
  }

  async create(controllerId: string, name: string, description?: string): Promise<void> {
    const r = await this.http.call('POST', '/rest/v1/targets', {
      headers: { authorization: this.auth },
      body: [{ controllerId, name, ...(description ? { description } : {}) }],
    });
    // A concurrent enrollment of the same id may have created it in between: that is fine.
    if (r.status === 201 || r.status === 409) return;
    throw new BackendError('hawkBit', r.status, `hawkBit provisioning failed: ${describe(r)}`);
  }

  close(): void {
    this.http.close();
  }
}
