// ThingsBoard REST calls of enrollment. Upstream has no ThingsBoard client at all (§3.7, §10.3
// #27), although the docs promise the device "appears in ThingsBoard immediately"; the sandbox
// bridge does what the docs describe: tenant-admin login, then the device with its X.509
// certificate as credentials (POST /api/device-with-credentials). On re-enrollment the existing
// device's credentials are replaced by the new certificate.
import { BackendError } from './errors.js';
import { describe, HttpClient, type HttpReply } from './http-client.js';

export class ThingsboardClient {
  private readonly http: HttpClient;
  private token: string | undefined;
  /** The login in flight: concurrent enrollments share it instead of each logging in (each login is a password hash). */
  private loggingIn: Promise<string> | undefined;

  constructor(url: string, private readonly username: string, private readonly password: string) {
    this.http = new HttpClient('ThingsBoard', url);
  }

  /** Creates or updates the device `name`; returns its ThingsBoard id. */
  async upsertX509Device(name: string, label: string, type: string, certPem: string): Promise<string> {
    // Create first: a new device is the common case, and one call instead of two per enrollment.
    const created = await this.api('POST', '/api/device-with-credentials', {
      device: { name, label, type },
      credentials: { credentialsType: 'X509_CERTIFICATE', credentialsValue: certPem },
    });
    if (created.status === 200) return idOf(created.json);
    if (!(created.status === 400 && /already exists/i.test(describe(created)))) throw fail(created);
    // Re-enrollment: the device stays, its certificate is replaced.
    const found = await this.api('GET', `/api/tenant/devices?deviceName=${encodeURIComponent(name)}`);
    if (found.status !== 200) throw fail(found);
    const id = idOf(found.json);
    const creds = await this.api('GET', `/api/device/${id}/credentials`);
    if (creds.status !== 200) throw fail(creds);
    const updated = await this.api('POST', '/api/device/credentials', {
      ...(creds.json as Record<string, unknown>), credentialsType: 'X509_CERTIFICATE', credentialsValue: certPem,
    });
    if (updated.status !== 200) throw fail(updated);
    return id;
  }

  private async api(method: string, path: string, body?: unknown): Promise<HttpReply> {
    let token = await this.login(false);
    const send = (): Promise<HttpReply> => this.http.call(method, path, {
      headers: { 'x-authorization': `Bearer ${token}` }, ...(body === undefined ? {} : { body }),
    });
    const first = await send();
    if (first.status !== 401) return first;
    // The JWT expired (ThingsBoard: 2.5 h by default): log in again once.
    token = await this.login(true, token);
    return send();
  }

  /** `rejected`: the token the 401 answered; a newer one from a concurrent re-login is used as is. */
  private login(force: boolean, rejected?: string): Promise<string> {
    if (this.token && (!force || this.token !== rejected)) return Promise.resolve(this.token);
    this.loggingIn ??= this.freshLogin().finally(() => { this.loggingIn = undefined; });
    return this.loggingIn;
  }

  private async freshLogin(): Promise<string> {
    const r = await this.http.call('POST', '/api/auth/login', { body: { username: this.username, password: this.password } });
    const token = (r.json as { token?: unknown } | undefined)?.token;
    if (r.status !== 200 || typeof token !== 'string') throw new BackendError('ThingsBoard', r.status, `ThingsBoard login failed: ${describe(r)}`);
    this.token = token;
    return token;
  }

  close(): void {
    this.http.close();
  }
}

function idOf(json: unknown): string {
  const id = (json as { id?: { id?: unknown } } | undefined)?.id?.id;
  if (typeof id !== 'string') throw new BackendError('ThingsBoard', 200, 'ThingsBoard answered without a device id');
  return id;
}

const fail = (r: HttpReply): BackendError => new BackendError('ThingsBoard', r.status, `ThingsBoard provisioning failed: ${describe(r)}`);
