// POST /admin/realms/{r}/identity-provider/import-config with {providerId, fromUrl}: Keycloak fetches
// the OpenID discovery document itself and answers the IdP config it implies
// (OIDCIdentityProviderFactory.parseConfig; IdentityProvidersResource adds metadataDescriptorUrl).
// An IdP created with only `metadataDescriptorUrl` has no endpoints: this is how they are filled.
import type { Router } from '../kit/router.js';
import { PERMS, readJsonObject, requirePerm } from './admin-auth.js';
import { inRealm } from './admin-route.js';
import type { Kc } from './context.js';
import { jaxrs, KcError } from './errors.js';

const OIDC_PROVIDERS = ['oidc', 'keycloak-oidc'];

/** The discovery document's endpoints under Keycloak's config keys. */
function parseOidcConfig(doc: Record<string, unknown>): Record<string, string> {
  const keys: Array<[string, string]> = [
    ['issuer', 'issuer'], ['authorization_endpoint', 'authorizationUrl'], ['token_endpoint', 'tokenUrl'], ['userinfo_endpoint', 'userInfoUrl'],
    ['end_session_endpoint', 'logoutUrl'], ['jwks_uri', 'jwksUrl'], ['introspection_endpoint', 'tokenIntrospectionUrl'],
  ];
  const config: Record<string, string> = {};
  for (const [from, to] of keys) if (typeof doc[from] === 'string') config[to] = doc[from] as string;
  if (config['jwksUrl']) { config['validateSignature'] = 'true'; config['useJwksUrl'] = 'true'; }
  return config;
}

export function registerIdpImport(router: Router, kc: Kc): void {
  router.post('/admin/realms/:realm/identity-provider/import-config', inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageIdps);
    const body = await readJsonObject(ctx);
    const providerId = body['providerId'];
    const from = body['fromUrl'];
    if (typeof providerId !== 'string' || !OIDC_PROVIDERS.includes(providerId) || typeof from !== 'string') {
      throw jaxrs(400, 'HTTP 400 Bad Request');
    }
    let doc: unknown;
    try {
      const res = await fetch(from, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      doc = await res.json();
    } catch {
      // HttpClientProvider's IOException surfaces as Keycloak's unhandled-error answer.
      throw new KcError(500, { error: 'unknown_error', error_description: 'For more on this error consult the server log.' });
    }
    if (typeof doc !== 'object' || doc === null) throw jaxrs(400, 'HTTP 400 Bad Request');
    ctx.send(200, { ...parseOidcConfig(doc as Record<string, unknown>), metadataDescriptorUrl: from });
  }));
}
