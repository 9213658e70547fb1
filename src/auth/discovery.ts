// OIDC discovery for a Keycloak realm. Keycloak serves either at `/` (Quarkus default) or under
// the legacy `/auth` relative path (reference §1.0); a base URL given without it is probed both ways.
import { AuthError, NotFoundError } from '../core/errors.js';
import type { HttpClient } from '../http/types.js';
import { keycloakError } from '../services/keycloak/errors.js';

export interface OidcEndpoints {
  issuer: string;
  token_endpoint: string;
  device_authorization_endpoint?: string;
  end_session_endpoint?: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
}

export async function discoverRealm(http: HttpClient, keycloakUrl: string, realm: string): Promise<OidcEndpoints> {
  const base = keycloakUrl.replace(/\/+$/, '');
  const candidates = [base];
  if (!base.endsWith('/auth')) candidates.push(`${base}/auth`);
  for (const candidate of candidates) {
    const res = await http.request({ service: 'keycloak', method: 'GET', url: `${candidate}/realms/${encodeURIComponent(realm)}/.well-known/openid-configuration` });
    if (res.status === 404) continue;
    if (res.status !== 200) throw keycloakError(res, `OIDC discovery of realm ${realm}`);
    const doc = res.json<OidcEndpoints>();
    if (typeof doc.token_endpoint !== 'string' || typeof doc.issuer !== 'string') {
      throw new AuthError(`OIDC discovery of realm ${realm} at ${candidate} returned no token endpoint`, { service: 'keycloak' });
    }
    return doc;
  }
  throw new NotFoundError(`realm "${realm}" not found at ${base} (tried ${candidates.map((c) => `${c}/realms/${realm}`).join(' and ')})`, {
    service: 'keycloak', status: 404, hint: 'check --keycloak-url (with or without /auth) and the realm of the context',
  });
}
