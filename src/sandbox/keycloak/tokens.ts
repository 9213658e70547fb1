// Minting and verifying tokens as Keycloak does: RS256 access/ID tokens signed with the realm key,
// HS512 refresh tokens bound to a user session and a client, and the checks a bearer token must
// pass (signature, expiry, issuer = the realm it claims, not-before policies, live session).
import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { issuerOf, nowSec, type Kc } from './context.js';
import { hmacKeyOf, privateKeyOf, publicKeyOf } from './keys.js';
import { effectiveRoles, userById } from './model.js';
import { activeSession, sessionExpiry } from './sessions.js';
import { DEFAULT_CLIENT_SCOPES, OPTIONAL_CLIENT_SCOPES } from './client-scopes.js';
import { oauthError } from './errors.js';
import type { ClientRec, RealmRec, SessionRec, UserRec } from './state.js';

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_expires_in: number;
  refresh_token?: string;
  token_type: 'Bearer';
  id_token?: string;
  'not-before-policy': number;
  session_state?: string;
  scope: string;
}

/** The default scopes whose "include in token scope" is on. */
const DEFAULT_IN_TOKEN_SCOPE = ['profile', 'email'];

const askedScopes = (requested: string | undefined): string[] => (requested ?? '').split(/\s+/).filter(Boolean);

/**
 * TokenManager.isValidScope: each requested scope must be `openid` or a client scope of the client;
 * otherwise the grant is 400 invalid_scope naming the whole request.
 */
export function scopeRefusal(requested: string | undefined): Error | undefined {
  const unknown = askedScopes(requested).filter((s) => s !== 'openid' && !DEFAULT_CLIENT_SCOPES.includes(s) && !OPTIONAL_CLIENT_SCOPES.includes(s));
  return unknown.length > 0 ? oauthError(400, 'invalid_scope', `Invalid scopes: ${requested}`) : undefined;
}

/** Scope string as Keycloak reports it: `openid` only when asked for, the default client scopes, then the optional ones asked for. */
export function grantedScope(requested: string | undefined): string {
  const asked = askedScopes(requested);
  const optional = OPTIONAL_CLIENT_SCOPES.filter((s) => asked.includes(s));
  return [...(asked.includes('openid') ? ['openid'] : []), ...DEFAULT_IN_TOKEN_SCOPE, ...optional].join(' ');
}

/** Claims that depend on the user's roles: realm_access, resource_access and the resolved audience. */
function roleClaims(realm: RealmRec, client: ClientRec, user: UserRec): Record<string, unknown> {
  const roles = effectiveRoles(realm, user.roleIds);
  const resource: Record<string, { roles: string[] }> = {};
  for (const r of roles.filter((x) => x.clientRole)) {
    const c = realm.clients.find((x) => x.id === r.containerId);
    if (c) (resource[c.clientId] ??= { roles: [] }).roles.push(r.name);
  }
  for (const v of Object.values(resource)) v.roles.sort();
  // The audience-resolve mapper lists every client the user holds roles of, except the token's own client.
  const aud = Object.keys(resource).filter((c) => c !== client.clientId).sort();
  const out: Record<string, unknown> = {};
  if (aud.length === 1) out['aud'] = aud[0];
  else if (aud.length > 1) out['aud'] = aud;
  out['realm_access'] = { roles: roles.filter((x) => !x.clientRole).map((x) => x.name).sort() };
  if (Object.keys(resource).length > 0) out['resource_access'] = resource;
  return out;
}

function profileClaims(user: UserRec): Record<string, unknown> {
  const out: Record<string, unknown> = { email_verified: user.emailVerified };
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  if (name) out['name'] = name;
  out['preferred_username'] = user.username;
  if (user.firstName) out['given_name'] = user.firstName;
  if (user.lastName) out['family_name'] = user.lastName;
  if (user.email) out['email'] = user.email;
  return out;
}

export function accessLifespan(realm: RealmRec, client: ClientRec): number {
  const override = Number(client.attributes['access.token.lifespan']);
  return Number.isFinite(override) && override > 0 ? override : realm.settings.accessTokenLifespan;
}

/**
 * Issues the token response for a user (and session). `session` undefined = no refresh token and no
 * `sid` (client_credentials without `client_credentials.use_refresh_token`).
 */
export async function issueTokens(kc: Kc, realm: RealmRec, client: ClientRec, user: UserRec, session: SessionRec | undefined, requestedScope: string | undefined): Promise<TokenResponse> {
  const iat = nowSec(kc);
  const exp = iat + accessLifespan(realm, client);
  const iss = issuerOf(kc, realm.name);
  const scope = grantedScope(requestedScope);
  const claims: Record<string, unknown> = {
    exp, iat, jti: randomUUID(), iss, ...roleClaims(realm, client, user), sub: user.id, typ: 'Bearer', azp: client.clientId,
  };
  if (session) claims['sid'] = session.id;
  claims['acr'] = '1';
  if (client.webOrigins.length > 0) claims['allowed-origins'] = client.webOrigins;
  claims['scope'] = scope;
  Object.assign(claims, profileClaims(user));
  if (user.serviceAccountClientId) Object.assign(claims, { client_id: client.clientId });
  const access = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: realm.keys.sig.kid })
    .sign(privateKeyOf(realm.keys.sig));

  const res: TokenResponse = { access_token: access, expires_in: exp - iat, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': realm.settings.notBefore, scope };
  if (session) {
    const rexp = Math.floor(sessionExpiry(realm, session) / 1000);
    res.refresh_token = await new SignJWT({ exp: rexp, iat, jti: randomUUID(), iss, aud: iss, sub: user.id, typ: 'Refresh', azp: client.clientId, sid: session.id, scope })
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT', kid: realm.keys.hmac.kid })
      .sign(hmacKeyOf(realm.keys));
    res.refresh_expires_in = rexp - iat;
    res.session_state = session.id;
    if (scope.split(' ').includes('openid')) {
      res.id_token = await new SignJWT({ exp, iat, auth_time: Math.floor(session.start / 1000), jti: randomUUID(), iss, aud: client.clientId, sub: user.id, typ: 'ID', azp: client.clientId, sid: session.id, acr: '1', ...profileClaims(user) })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: realm.keys.sig.kid })
        .sign(privateKeyOf(realm.keys.sig));
    }
  }
  return res;
}

export interface VerifiedToken {
  realm: RealmRec;
  claims: JWTPayload & Record<string, unknown>;
  user: UserRec;
  session?: SessionRec;
}

/** Realm named by a token's issuer (`…/realms/<name>`), as Keycloak's AdminRoot derives it. */
export function realmFromIssuer(kc: Kc, token: string): RealmRec | undefined {
  try {
    const iss = decodeJwt(token).iss;
    if (typeof iss !== 'string') return undefined;
    const name = decodeURIComponent(iss.slice(iss.lastIndexOf('/') + 1));
    const realm = kc.store.state.realms[name];
    return realm && issuerOf(kc, name) === iss ? realm : undefined;
  } catch {
    return undefined;
  }
}

/** `typ` claim values: access tokens, refresh tokens, ID tokens. */
export type TokenTyp = 'Bearer' | 'Refresh' | 'ID';
export type TokenFailure = 'invalid' | 'expired' | 'stale' | 'session' | 'user';

/**
 * Full token check. `typ` selects access ("Bearer") or refresh ("Refresh") tokens; refresh tokens
 * always need their session alive. Failures say why, because the refresh grant words each differently.
 */
export async function checkToken(kc: Kc, token: string, typ: TokenTyp, expectRealm?: RealmRec): Promise<VerifiedToken | { failure: TokenFailure }> {
  const realm = realmFromIssuer(kc, token);
  if (!realm || (expectRealm && realm.id !== expectRealm.id)) return { failure: 'invalid' };
  let claims: VerifiedToken['claims'];
  try {
    const header = decodeProtectedHeader(token);
    const key = typ !== 'Refresh'
      ? (header.alg === 'RS256' && header.kid === realm.keys.sig.kid ? publicKeyOf(realm.keys.sig) : undefined)
      : (header.alg === 'HS512' && header.kid === realm.keys.hmac.kid ? hmacKeyOf(realm.keys) : undefined);
    if (!key) return { failure: 'invalid' };
    const out = await jwtVerify(token, key, { issuer: issuerOf(kc, realm.name), currentDate: new Date(kc.now()), algorithms: [header.alg!] });
    claims = out.payload as VerifiedToken['claims'];
  } catch (err) {
    return { failure: (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
  }
  if (claims['typ'] !== typ || typeof claims.sub !== 'string') return { failure: 'invalid' };
  const iat = claims.iat ?? 0;
  const user = userById(realm, claims.sub);
  if (!user || !user.enabled) return { failure: 'user' };
  if (iat < realm.settings.notBefore || iat < user.notBefore) return { failure: 'stale' };
  if (typ === 'Bearer' && realm.revokedTokens.some((t) => t.jti === claims.jti)) return { failure: 'invalid' };
  const sid = typeof claims['sid'] === 'string' ? claims['sid'] : undefined;
  if (sid) {
    const session = activeSession(realm, sid, kc.now());
    if (!session) return { failure: 'session' };
    return { realm, claims, user, session };
  }
  return typ === 'Refresh' ? { failure: 'session' } : { realm, claims, user };
}

export async function verifyToken(kc: Kc, token: string, typ: TokenTyp, expectRealm?: RealmRec): Promise<VerifiedToken | undefined> {
  const r = await checkToken(kc, token, typ, expectRealm);
  return 'failure' in r ? undefined : r;
}

/** Decodes without checks (used to tell "expired" from "garbage" for error texts). */
export function peekClaims(token: string): JWTPayload | undefined {
  try { return decodeJwt(token); } catch { return undefined; }
}
