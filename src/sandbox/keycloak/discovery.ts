// Public, unauthenticated realm documents: the OIDC discovery document (field list of
// OIDCWellKnownProvider, reference §1.2), the JWKS, and `GET /realms/{r}` (the realm's public info).
import type { RequestContext } from '../kit/router.js';
import { issuerOf, oidcBase, publicRealm, type Kc } from './context.js';
import { jwkOf, publicKeyB64 } from './keys.js';

const SIG_ALGS = ['PS384', 'RS384', 'EdDSA', 'ES384', 'HS256', 'HS512', 'ES256', 'RS256', 'HS384', 'ES512', 'PS256', 'PS512', 'RS512'];
const ASYM_SIG_ALGS = SIG_ALGS.filter((a) => !a.startsWith('HS'));
const ENC_ALGS = ['ECDH-ES+A256KW', 'ECDH-ES+A192KW', 'ECDH-ES+A128KW', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5', 'ECDH-ES'];
const ENC_ENCS = ['A256GCM', 'A192GCM', 'A128GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'];
const CLIENT_AUTH = ['private_key_jwt', 'client_secret_basic', 'client_secret_post', 'tls_client_auth', 'client_secret_jwt'];

export function discovery(kc: Kc, ctx: RequestContext): void {
  const realm = publicRealm(kc, ctx.params['realm']);
  const iss = issuerOf(kc, realm.name);
  const p = oidcBase(kc, realm.name);
  const endpoints = {
    token_endpoint: `${p}/token`,
    revocation_endpoint: `${p}/revoke`,
    introspection_endpoint: `${p}/token/introspect`,
    device_authorization_endpoint: `${p}/auth/device`,
    registration_endpoint: `${iss}/clients-registrations/openid-connect`,
    userinfo_endpoint: `${p}/userinfo`,
    pushed_authorization_request_endpoint: `${p}/ext/par/request`,
    backchannel_authentication_endpoint: `${p}/ext/ciba/auth`,
  };
  ctx.send(200, {
    issuer: iss,
    authorization_endpoint: `${p}/auth`,
    token_endpoint: endpoints.token_endpoint,
    introspection_endpoint: endpoints.introspection_endpoint,
    userinfo_endpoint: endpoints.userinfo_endpoint,
    end_session_endpoint: `${p}/logout`,
    frontchannel_logout_session_supported: true,
    frontchannel_logout_supported: true,
    jwks_uri: `${p}/certs`,
    check_session_iframe: `${p}/login-status-iframe.html`,
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials',
      'urn:openid:params:grant-type:ciba', 'urn:ietf:params:oauth:grant-type:device_code'],
    acr_values_supported: ['0', '1'],
    response_types_supported: ['code', 'none', 'id_token', 'token', 'id_token token', 'code id_token', 'code token', 'code id_token token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ASYM_SIG_ALGS,
    id_token_encryption_alg_values_supported: ENC_ALGS,
    id_token_encryption_enc_values_supported: ENC_ENCS,
    userinfo_signing_alg_values_supported: [...ASYM_SIG_ALGS, 'none'],
    userinfo_encryption_alg_values_supported: ENC_ALGS,
    userinfo_encryption_enc_values_supported: ENC_ENCS,
    request_object_signing_alg_values_supported: [...SIG_ALGS, 'none'],
    request_object_encryption_alg_values_supported: ENC_ALGS,
    request_object_encryption_enc_values_supported: ENC_ENCS,
    response_modes_supported: ['query', 'fragment', 'form_post', 'query.jwt', 'fragment.jwt', 'form_post.jwt', 'jwt'],
    registration_endpoint: endpoints.registration_endpoint,
    token_endpoint_auth_methods_supported: CLIENT_AUTH,
    token_endpoint_auth_signing_alg_values_supported: SIG_ALGS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH,
    introspection_endpoint_auth_signing_alg_values_supported: SIG_ALGS,
    authorization_signing_alg_values_supported: SIG_ALGS,
    authorization_encryption_alg_values_supported: ENC_ALGS,
    authorization_encryption_enc_values_supported: ENC_ENCS,
    claims_supported: ['aud', 'sub', 'iss', 'auth_time', 'name', 'given_name', 'family_name', 'preferred_username', 'email', 'acr'],
    claim_types_supported: ['normal'],
    claims_parameter_supported: true,
    scopes_supported: ['openid', 'offline_access', 'address', 'roles', 'acr', 'web-origins', 'basic', 'phone', 'microprofile-jwt', 'profile', 'email', 'organization'],
    request_parameter_supported: true,
    request_uri_parameter_supported: true,
    require_request_uri_registration: true,
    code_challenge_methods_supported: ['plain', 'S256'],
    tls_client_certificate_bound_access_tokens: true,
    revocation_endpoint: endpoints.revocation_endpoint,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH,
    revocation_endpoint_auth_signing_alg_values_supported: SIG_ALGS,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    device_authorization_endpoint: endpoints.device_authorization_endpoint,
    backchannel_token_delivery_modes_supported: ['poll', 'ping'],
    backchannel_authentication_endpoint: endpoints.backchannel_authentication_endpoint,
    backchannel_authentication_request_signing_alg_values_supported: ASYM_SIG_ALGS.filter((a) => a !== 'EdDSA'),
    require_pushed_authorization_requests: false,
    pushed_authorization_request_endpoint: endpoints.pushed_authorization_request_endpoint,
    mtls_endpoint_aliases: endpoints,
    authorization_response_iss_parameter_supported: true,
  });
}

export function certs(kc: Kc, ctx: RequestContext): void {
  const realm = publicRealm(kc, ctx.params['realm']);
  ctx.send(200, { keys: [jwkOf(realm.keys.enc), jwkOf(realm.keys.sig)] });
}

export function realmInfo(kc: Kc, ctx: RequestContext): void {
  const realm = publicRealm(kc, ctx.params['realm']);
  const iss = issuerOf(kc, realm.name);
  ctx.send(200, {
    realm: realm.name,
    public_key: publicKeyB64(realm.keys.sig),
    'token-service': `${iss}/protocol/openid-connect`,
    'account-service': `${iss}/account`,
    'tokens-not-before': realm.settings.notBefore,
  });
}
