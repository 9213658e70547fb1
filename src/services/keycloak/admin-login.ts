// An admin-API token for a Keycloak: the master realm's `admin-cli` with a username and password
// (how Keycloak's own kcadm logs in). Master tokens live 60 s by default, so the token is fetched
// again shortly before that; the admin API base is derived from the discovered token endpoint,
// which also settles whether the server runs under the legacy /auth path.
import { discoverRealm } from '../../auth/discovery.js';
import { passwordGrant } from '../../auth/grants.js';
import type { HttpClient } from '../../http/types.js';

export interface AdminCredentials {
  username: string;
  password: string;
}

export interface AdminSession {
  /** `{kc}{rel}` — e.g. http://127.0.0.1:8080/auth */
  baseUrl: string;
  token(): Promise<string>;
}

export async function adminSession(http: HttpClient, keycloakUrl: string, creds: AdminCredentials, now: () => number = Date.now): Promise<AdminSession> {
  const endpoints = await discoverRealm(http, keycloakUrl, 'master');
  const suffix = '/realms/master/protocol/openid-connect/token';
  // The discovery document names the public host (KC_HOSTNAME); keep the URL we were given for the
  // host part and take only the path prefix from the token endpoint.
  const tokenPath = new URL(endpoints.token_endpoint).pathname;
  const rel = tokenPath.endsWith(suffix) ? tokenPath.slice(0, -suffix.length) : '';
  const origin = new URL(keycloakUrl).origin;
  const baseUrl = `${origin}${rel}`;
  const tokenUrl = `${baseUrl}${suffix}`;
  let cached: { token: string; expiresAt: number } | undefined;
  return {
    baseUrl,
    async token() {
      if (cached && now() < cached.expiresAt) return cached.token;
      const res = await passwordGrant(http, tokenUrl, { clientId: 'admin-cli' }, creds.username, creds.password);
      // Renew 15 s before expiry (60 s master tokens leave 45 s of use).
      cached = { token: res.access_token, expiresAt: now() + Math.max(5, res.expires_in - 15) * 1000 };
      return cached.token;
    },
  };
}
