// Keycloak admin calls of the JOIN (cdm-platform.md §3.4, §4.5): a master-realm admin-cli
// password grant, then the `cdm-federation-<tenant>` client in the provider realm. When the client
// exists already (409), the bridge reads its real secret instead of returning the freshly
// generated, wrong one as upstream does (§10.2 #16). Also the realm deletion of
// DELETE /portal/admin/tenants/{id}.
import { randomInt } from 'node:crypto';
import { BackendError } from './errors.js';
import { describe, HttpClient } from './http-client.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Upstream's secrets.token_urlsafe-like 24-character secret. */
export function randomSecret(length = 24): string {
  return Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join('');
}

export class KeycloakAdminClient {
  private readonly http: HttpClient;

  constructor(url: string, private readonly username: string, private readonly password: string) {
    this.http = new HttpClient('Keycloak', url);
  }

  /** Creates the federation client and returns its secret (the existing one on 409). */
  async ensureFederationClient(realm: string, tenantId: string, tenantKeycloakUrl: string): Promise<{ clientId: string; secret: string }> {
    const token = await this.adminToken();
    const clientId = `cdm-federation-${tenantId}`;
    const secret = randomSecret();
    const kc = tenantKeycloakUrl.replace(/\/+$/, '');
    const endpoint = `${kc}/realms/${tenantId}/broker/cdm-provider/endpoint`;
    const rep = {
      clientId, name: `CDM Federation – ${tenantId}`, enabled: true, publicClient: false, secret,
      protocol: 'openid-connect', standardFlowEnabled: true, directAccessGrantsEnabled: false,
      implicitFlowEnabled: false, serviceAccountsEnabled: false, webOrigins: ['+'],
      redirectUris: kc ? [endpoint, `${endpoint}/*`] : ['*'],
    };
    const base = `/admin/realms/${encodeURIComponent(realm)}/clients`;
    const created = await this.http.call('POST', base, { headers: { authorization: `Bearer ${token}` }, body: rep });
    if (created.status === 201) return { clientId, secret };
    if (created.status !== 409) throw new BackendError('Keycloak', created.status, `Keycloak client creation failed: ${describe(created)}`);
    const found = await this.http.call('GET', `${base}?clientId=${encodeURIComponent(clientId)}`, { headers: { authorization: `Bearer ${token}` } });
    const id = Array.isArray(found.json) ? (found.json[0] as { id?: unknown } | undefined)?.id : undefined;
    if (found.status !== 200 || typeof id !== 'string') throw new BackendError('Keycloak', found.status, `Keycloak client lookup failed: ${describe(found)}`);
    const s = await this.http.call('GET', `${base}/${encodeURIComponent(id)}/client-secret`, { headers: { authorization: `Bearer ${token}` } });
    const value = (s.json as { value?: unknown } | undefined)?.value;
    if (s.status !== 200 || typeof value !== 'string') throw new BackendError('Keycloak', s.status, `Keycloak client secret read failed: ${describe(s)}`);
    return { clientId, secret: value };
  }

  /** DELETE /admin/realms/{realm}; 204 and 404 both count as deleted (upstream). */
  async deleteRealm(realm: string): Promise<void> {
    const token = await this.adminToken();
    const r = await this.http.call('DELETE', `/admin/realms/${encodeURIComponent(realm)}`, { headers: { authorization: `Bearer ${token}` } });
    if (r.status !== 204 && r.status !== 404) throw new BackendError('Keycloak', r.status, `Keycloak realm deletion failed: ${describe(r)}`);
  }

  private async adminToken(): Promise<string> {
    const r = await this.http.call('POST', '/realms/master/protocol/openid-connect/token', {
      body: new URLSearchParams({ client_id: 'admin-cli', grant_type: 'password', username: this.username, password: this.password }),
    });
    const token = (r.json as { access_token?: unknown } | undefined)?.access_token;
    if (r.status !== 200 || typeof token !== 'string') throw new BackendError('Keycloak', r.status, `Keycloak admin login failed: ${describe(r)}`);
    return token;
  }

  close(): void {
    this.http.close();
  }
}
