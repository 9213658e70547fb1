// OIDC side of the Keycloak emulator: discovery, JWKS, the token grants and their refusals, userinfo,
// introspection, revocation and back-channel logout.
import { createHash, X509Certificate } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, claimsOf, startKeycloak, type KcHarness, type TokenSet } from '../../helpers/keycloak-harness.js';

let kc: KcHarness;
beforeAll(async () => { kc = await startKeycloak(); });
afterAll(async () => { await kc.close(); });

const P = (realm: string): string => `/realms/${realm}/protocol/openid-connect`;
const token = (realm: string, params: Record<string, string>, headers?: Record<string, string>): Promise<Response> =>
  kc.form(`${P(realm)}/token`, params, headers);

describe('discovery and keys', () => {
  it('serves the discovery document with every field of the reference and correct URLs', async () => {
    const res = await fetch(`${kc.base}/realms/cdm/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    const iss = `${kc.base}/realms/cdm`;
    expect(doc['issuer']).toBe(iss);
    expect(doc['token_endpoint']).toBe(`${iss}/protocol/openid-connect/token`);
    expect(doc['device_authorization_endpoint']).toBe(`${iss}/protocol/openid-connect/auth/device`);
    expect(doc['jwks_uri']).toBe(`${iss}/protocol/openid-connect/certs`);
    expect(doc['end_session_endpoint']).toBe(`${iss}/protocol/openid-connect/logout`);
    expect(doc['introspection_endpoint']).toBe(`${iss}/protocol/openid-connect/token/introspect`);
    expect(doc['revocation_endpoint']).toBe(`${iss}/protocol/openid-connect/revoke`);
    expect(doc['userinfo_endpoint']).toBe(`${iss}/protocol/openid-connect/userinfo`);
    for (const field of [
      'authorization_endpoint', 'frontchannel_logout_session_supported', 'frontchannel_logout_supported', 'check_session_iframe',
      'acr_values_supported', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported',
      'id_token_encryption_alg_values_supported', 'id_token_encryption_enc_values_supported', 'userinfo_signing_alg_values_supported',
      'userinfo_encryption_alg_values_supported', 'userinfo_encryption_enc_values_supported', 'request_object_signing_alg_values_supported',
      'request_object_encryption_alg_values_supported', 'request_object_encryption_enc_values_supported', 'response_modes_supported',
      'registration_endpoint', 'token_endpoint_auth_methods_supported', 'token_endpoint_auth_signing_alg_values_supported',
      'introspection_endpoint_auth_methods_supported', 'introspection_endpoint_auth_signing_alg_values_supported',
      'authorization_signing_alg_values_supported', 'authorization_encryption_alg_values_supported',
      'authorization_encryption_enc_values_supported', 'claims_supported', 'claim_types_supported', 'claims_parameter_supported',
      'scopes_supported', 'request_parameter_supported', 'request_uri_parameter_supported', 'require_request_uri_registration',
      'code_challenge_methods_supported', 'tls_client_certificate_bound_access_tokens', 'revocation_endpoint_auth_methods_supported',
      'revocation_endpoint_auth_signing_alg_values_supported', 'backchannel_logout_supported', 'backchannel_logout_session_supported',
      'backchannel_token_delivery_modes_supported', 'backchannel_authentication_endpoint',
      'backchannel_authentication_request_signing_alg_values_supported', 'require_pushed_authorization_requests',
      'pushed_authorization_request_endpoint', 'mtls_endpoint_aliases', 'authorization_response_iss_parameter_supported',
    ]) expect(doc, field).toHaveProperty(field);
    expect(doc['grant_types_supported']).toEqual(expect.arrayContaining(['authorization_code', 'implicit', 'refresh_token', 'password',
      'client_credentials', 'urn:openid:params:grant-type:ciba', 'urn:ietf:params:oauth:grant-type:device_code']));
    expect(doc['token_endpoint_auth_methods_supported']).toEqual(['private_key_jwt', 'client_secret_basic', 'client_secret_post', 'tls_client_auth', 'client_secret_jwt']);
    expect((doc['mtls_endpoint_aliases'] as Record<string, string>)['device_authorization_endpoint']).toBe(`${iss}/protocol/openid-connect/auth/device`);
  });

  it('publishes an RS256 signing key and an RSA-OAEP key with x5c certificates, and tokens verify against them', async () => {
    const jwks = (await (await fetch(`${kc.base}${P('cdm')}/certs`)).json()) as JSONWebKeySet & { keys: Array<Record<string, unknown>> };
    const sig = jwks.keys.find((k) => k['use'] === 'sig')!;
    const enc = jwks.keys.find((k) => k['use'] === 'enc')!;
    expect(sig).toMatchObject({ kty: 'RSA', alg: 'RS256', e: 'AQAB' });
    expect(enc).toMatchObject({ kty: 'RSA', alg: 'RSA-OAEP' });
    for (const k of [sig, enc]) {
      expect(typeof k['kid']).toBe('string');
      const der = Buffer.from((k['x5c'] as string[])[0]!, 'base64');
      const cert = new X509Certificate(der);
      expect(cert.subject).toBe('CN=cdm');
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(k['x5t#S256']).toBe(createHash('sha256').update(der).digest('base64url'));
      expect(k['x5t']).toBe(createHash('sha1').update(der).digest('base64url'));
      expect(cert.publicKey.export({ format: 'jwk' }).n).toBe(k['n']);
    }
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    const { payload, protectedHeader } = await jwtVerify(t.access_token, createLocalJWKSet(jwks), { issuer: `${kc.base}/realms/cdm` });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: sig['kid'] });
    expect(payload['preferred_username']).toBe('alice');
  });

  it('keeps realms apart: each realm has its own key, and an unknown realm is a 404', async () => {
    const a = (await (await fetch(`${kc.base}${P('cdm')}/certs`)).json()) as { keys: Array<{ kid: string }> };
    const b = (await (await fetch(`${kc.base}${P('acme')}/certs`)).json()) as { keys: Array<{ kid: string }> };
    expect(a.keys.map((k) => k.kid)).not.toEqual(b.keys.map((k) => k.kid));
    const res = await fetch(`${kc.base}/realms/nope/.well-known/openid-configuration`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Realm does not exist' });
  });

  it('answers GET /realms/{r} with the realm public info', async () => {
    const info = (await (await fetch(`${kc.base}/realms/cdm`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ realm: 'cdm', 'token-service': `${kc.base}/realms/cdm/protocol/openid-connect`, 'tokens-not-before': 0 });
    expect(typeof info['public_key']).toBe('string');
  });
});

describe('password grant', () => {
  it('issues Keycloak-shaped tokens bound to a session', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 300, refresh_expires_in: 1800, 'not-before-policy': 0, scope: 'profile email' });
    expect(t.id_token).toBeUndefined();
    const c = claimsOf(t.access_token);
    expect(c).toMatchObject({ iss: `${kc.base}/realms/cdm`, azp: 'cdm-cli', aud: 'account', typ: 'Bearer', preferred_username: 'alice', sid: t.session_state });
    expect((c['exp'] as number) - (c['iat'] as number)).toBe(300);
    expect((c['realm_access'] as { roles: string[] }).roles).toEqual(expect.arrayContaining(['cdm-admin', 'default-roles-cdm', 'offline_access']));
    expect((c['resource_access'] as Record<string, { roles: string[] }>)['account']!.roles).toContain('view-profile');
    const header = JSON.parse(Buffer.from(t.refresh_token!.split('.')[0]!, 'base64url').toString()) as Record<string, string>;
    expect(header['alg']).toBe('HS512');
    expect(claimsOf(t.refresh_token!)).toMatchObject({ typ: 'Refresh', azp: 'cdm-cli', sid: t.session_state });
  });

  it('gives master-realm tokens 60 s and the management audiences', async () => {
    const t = await kc.login('master', 'admin-cli', 'admin', 'admin-pw');
    expect(t.expires_in).toBe(60);
    const c = claimsOf(t.access_token);
    expect(c['aud']).toEqual(expect.arrayContaining(['master-realm', 'cdm-realm', 'acme-realm', 'account']));
    expect((c['realm_access'] as { roles: string[] }).roles).toContain('admin');
  });

  it('adds an id_token and the openid scope when asked for', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw', { scope: 'openid' });
    expect(t.scope).toBe('openid profile email');
    expect(claimsOf(t.id_token!)).toMatchObject({ typ: 'ID', aud: 'cdm-cli', preferred_username: 'alice' });
  });

  it('grants an optional client scope asked for, and refuses a scope the client does not have (400 invalid_scope)', async () => {
    expect((await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw', { scope: 'openid phone' })).scope).toBe('openid profile email phone');
    for (const res of [
      await token('cdm', { grant_type: 'password', client_id: 'cdm-cli', username: 'alice', password: 'alice-pw', scope: 'openid tpyo' }),
      await token('cdm', { grant_type: 'client_credentials', scope: 'openid tpyo' }, { authorization: basic('ci-bot', 'ci-secret') }),
      await kc.form(`${P('cdm')}/auth/device`, { client_id: 'cdm-cli', scope: 'openid tpyo' }),
    ]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_scope', error_description: 'Invalid scopes: openid tpyo' });
    }
  });

  it('refuses wrong and unknown credentials with 401 invalid_grant', async () => {
    for (const [username, password] of [['alice', 'wrong'], ['nobody', 'x']] as const) {
      const res = await token('cdm', { grant_type: 'password', client_id: 'cdm-cli', username, password });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid user credentials' });
    }
  });

  it('refuses malformed requests with the exact OAuth errors', async () => {
    let res = await token('cdm', { client_id: 'cdm-cli' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'Missing form parameter: grant_type' });
    res = await token('cdm', { grant_type: 'magic', client_id: 'cdm-cli' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
    res = await token('cdm', { grant_type: 'password', client_id: 'cdm-cli', password: 'x' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'Missing parameter: username' });
    res = await fetch(`${kc.base}${P('cdm')}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"password"}' });
    expect(res.status).toBe(415);
  });

  it('refuses a client without direct access grants', async () => {
    const res = await token('cdm', { grant_type: 'password', username: 'alice', password: 'alice-pw' }, { authorization: basic('device-app', 'dev-secret') });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unauthorized_client', error_description: 'Client not allowed for direct access grants' });
  });

  it('authenticates confidential clients by Basic or form and refuses bad client credentials', async () => {
    const ok = await token('cdm', { grant_type: 'password', username: 'alice', password: 'alice-pw', client_id: 'web-app', client_secret: 'web-secret' });
    expect(ok.status).toBe(200);
    let res = await token('cdm', { grant_type: 'password', username: 'alice', password: 'alice-pw' }, { authorization: basic('web-app', 'wrong') });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
    res = await token('cdm', { grant_type: 'password', username: 'alice', password: 'alice-pw', client_id: 'web-app' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized_client' });
    res = await token('cdm', { grant_type: 'password', username: 'alice', password: 'alice-pw', client_id: 'ghost' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' });
    res = await token('cdm', { grant_type: 'password', username: 'alice', password: 'alice-pw' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'Missing client_id parameter' });
  });
});

describe('client credentials', () => {
  it('issues a service-account token without refresh token or session', async () => {
    for (const res of [
      await token('cdm', { grant_type: 'client_credentials' }, { authorization: basic('ci-bot', 'ci-secret') }),
      await token('cdm', { grant_type: 'client_credentials', client_id: 'ci-bot', client_secret: 'ci-secret' }),
    ]) {
      expect(res.status).toBe(200);
      const t = (await res.json()) as TokenSet;
      expect(t.refresh_token).toBeUndefined();
      expect(t.session_state).toBeUndefined();
      expect(t.refresh_expires_in).toBe(0);
      const c = claimsOf(t.access_token);
      expect(c['preferred_username']).toBe('service-account-ci-bot');
      expect(c['sid']).toBeUndefined();
      expect((c['realm_access'] as { roles: string[] }).roles).toContain('cdm-operator');
      expect((c['resource_access'] as Record<string, { roles: string[] }>)['realm-management']!.roles).toEqual(expect.arrayContaining(['view-users', 'query-users']));
    }
  });

  it('refuses public clients and clients without a service account', async () => {
    let res = await token('cdm', { grant_type: 'client_credentials', client_id: 'cdm-cli' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unauthorized_client', error_description: 'Public client not allowed to retrieve service account' });
    res = await token('cdm', { grant_type: 'client_credentials' }, { authorization: basic('web-app', 'web-secret') });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unauthorized_client', error_description: 'Client not enabled to retrieve service account' });
    res = await token('cdm', { grant_type: 'client_credentials' }, { authorization: basic('ci-bot', 'nope') });
    expect(res.status).toBe(401);
  });
});

describe('refresh token', () => {
  it('refreshes within the session and refuses foreign, forged and missing tokens', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    let res = await token('cdm', { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: t.refresh_token! });
    expect(res.status).toBe(200);
    const t2 = (await res.json()) as TokenSet;
    expect(claimsOf(t2.access_token)['sid']).toBe(t.session_state);
    expect(t2.session_state).toBe(t.session_state);

    res = await token('cdm', { grant_type: 'refresh_token', client_id: 'web-app', client_secret: 'web-secret', refresh_token: t.refresh_token! });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: "Invalid refresh token. Token client and authorized client don't match" });

    const forged = `${t.refresh_token!.slice(0, -4)}AAAA`;
    res = await token('cdm', { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: forged });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });

    // A refresh token minted in another realm is not valid here.
    const other = await kc.login('acme', 'cdm-cli', 'tadmin', 'tadmin-pw');
    res = await token('cdm', { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: other.refresh_token! });
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });

    res = await token('cdm', { grant_type: 'refresh_token', client_id: 'cdm-cli' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'Missing parameter: refresh_token' });
  });

  it('stops refreshing when the session idles out', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    kc.clock.advance(1801);
    const res = await token('cdm', { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: t.refresh_token! });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Token is not active' });
  });
});

describe('userinfo, introspection, revocation, logout', () => {
  it('answers userinfo for a valid openid token; 401 (403 without openid) with WWW-Authenticate and an empty body otherwise', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw', { scope: 'openid' });
    let res = await fetch(`${kc.base}${P('cdm')}/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sub: claimsOf(t.access_token)['sub'], preferred_username: 'alice', email_verified: false });

    // Keycloak ≥ 19.0.2: a token without the openid scope is refused.
    const plain = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    res = await fetch(`${kc.base}${P('cdm')}/userinfo`, { headers: { authorization: `Bearer ${plain.access_token}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="cdm", error="insufficient_scope", error_description="Missing openid scope"');
    expect(await res.text()).toBe('');

    res = await fetch(`${kc.base}${P('cdm')}/userinfo`, { headers: { authorization: 'Bearer garbage' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="cdm", error="invalid_token", error_description="Token verification failed"');
    expect(await res.text()).toBe('');

    res = await fetch(`${kc.base}${P('acme')}/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(401);

    res = await fetch(`${kc.base}${P('cdm')}/userinfo`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer realm="cdm"');

    kc.clock.advance(301);
    res = await fetch(`${kc.base}${P('cdm')}/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(401);
  });

  it('introspects tokens for an authenticated client', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    const auth = { authorization: basic('web-app', 'web-secret') };
    let res = await kc.form(`${P('cdm')}/token/introspect`, { token: t.access_token }, auth);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ active: true, username: 'alice', client_id: 'cdm-cli', typ: 'Bearer', sid: t.session_state });
    res = await kc.form(`${P('cdm')}/token/introspect`, { token: t.refresh_token! }, auth);
    expect(await res.json()).toMatchObject({ active: true, typ: 'Refresh' });
    res = await kc.form(`${P('cdm')}/token/introspect`, { token: 'nonsense' }, auth);
    expect(await res.json()).toEqual({ active: false });
    res = await kc.form(`${P('cdm')}/token/introspect`, { token: t.access_token }, { authorization: basic('web-app', 'bad') });
    expect(res.status).toBe(401);
    res = await kc.form(`${P('cdm')}/token/introspect`, {}, auth);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('revokes refresh and access tokens', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    let res = await kc.form(`${P('cdm')}/revoke`, { client_id: 'cdm-cli', token: t.refresh_token!, token_type_hint: 'refresh_token' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    res = await token('cdm', { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: t.refresh_token! });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });

    const t2 = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    res = await kc.form(`${P('cdm')}/revoke`, { client_id: 'cdm-cli', token: t2.access_token });
    expect(res.status).toBe(200);
    res = await fetch(`${kc.base}${P('cdm')}/userinfo`, { headers: { authorization: `Bearer ${t2.access_token}` } });
    expect(res.status).toBe(401);

    res = await kc.form(`${P('cdm')}/revoke`, { client_id: 'cdm-cli', token: 'not-a-token' });
    expect(res.status).toBe(200); // RFC 7009
    res = await kc.form(`${P('cdm')}/revoke`, { client_id: 'cdm-cli', token: t2.refresh_token!, token_type_hint: 'id_token' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unsupported_token_type', error_description: 'Unsupported token type' });
    res = await kc.form(`${P('cdm')}/revoke`, { token: t2.refresh_token! }, { authorization: basic('web-app', 'wrong') });
    expect(res.status).toBe(401);
  });

  it('logs out with a refresh token (204) and then refuses that session', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    let res = await kc.form(`${P('cdm')}/logout`, { client_id: 'cdm-cli', refresh_token: t.refresh_token! });
    expect(res.status).toBe(204);
    res = await token('cdm', { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: t.refresh_token! });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Session not active' });
    res = await fetch(`${kc.base}${P('cdm')}/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(401);
    res = await kc.form(`${P('cdm')}/logout`, { client_id: 'cdm-cli', refresh_token: 'garbage' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
  });

  it('logs out with an expired refresh token as Keycloak does (its expiry is not checked there): 204', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw');
    kc.clock.advance(1801); // past the session idle timeout: the refresh token has expired
    expect((await token('cdm', { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: t.refresh_token! })).status).toBe(400);
    const res = await kc.form(`${P('cdm')}/logout`, { client_id: 'cdm-cli', refresh_token: t.refresh_token! });
    expect(res.status).toBe(204);
    // Still a token of this client only.
    const other = await kc.form(`${P('cdm')}/logout`, { client_id: 'web-app', client_secret: 'web-secret', refresh_token: t.refresh_token! });
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
  });

  it('ends a browser session named by id_token_hint and redirects only to allowed URIs', async () => {
    const t = await kc.login('cdm', 'cdm-cli', 'alice', 'alice-pw', { scope: 'openid' });
    let res = await fetch(`${kc.base}${P('cdm')}/logout?id_token_hint=${t.id_token}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    res = await fetch(`${kc.base}${P('cdm')}/logout?id_token_hint=${t.id_token}`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    res = await token('cdm', { grant_type: 'refresh_token', client_id: 'cdm-cli', refresh_token: t.refresh_token! });
    expect(res.status).toBe(400);
  });
});
