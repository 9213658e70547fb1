// The OIDC endpoints besides token and device: userinfo, introspection, revocation and logout, with
// Keycloak's refusals (401 + WWW-Authenticate on userinfo, RFC 7009 "200 even for bad tokens" on revoke).
import type { RequestContext } from '../kit/router.js';
import { authenticateClient, ClientAuthError, readForm } from './client-auth.js';
import { clientIp, publicRealm, type Kc } from './context.js';
import { KcError, oauthError } from './errors.js';
import { recordEvent, type EventInput } from './events.js';
import { clientByClientId } from './model.js';
import { activeSession, removeSession } from './sessions.js';
import type { ClientRec, RealmRec } from './state.js';
import { checkToken, peekClaims, verifyToken } from './tokens.js';

function record(kc: Kc, realm: RealmRec, e: EventInput): void {
  kc.store.update(() => recordEvent(realm, kc.now(), e));
}

function authClient(kc: Kc, ctx: RequestContext, realm: RealmRec, form: URLSearchParams, eventType: string): ClientRec {
  try {
    return authenticateClient(realm, ctx, form);
  } catch (err) {
    if (err instanceof ClientAuthError) record(kc, realm, { type: `${eventType}_ERROR`, clientId: err.clientId, ipAddress: clientIp(ctx), error: err.eventError });
    throw err;
  }
}

export async function userinfo(kc: Kc, ctx: RequestContext): Promise<void> {
  const realm = publicRealm(kc, ctx.params['realm']);
  const authz = ctx.header('authorization');
  let token = authz && /^bearer /i.test(authz) ? authz.slice(7).trim() : undefined;
  if (!token && ctx.method === 'POST' && (ctx.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    token = new URLSearchParams(await ctx.text()).get('access_token') ?? undefined;
  }
  // UserInfoEndpoint's OAuth2Error is built with json(false): the error is in WWW-Authenticate,
  // the body is empty text/plain.
  const refuse = (status: number, error: string, description: string, eventError = 'invalid_token'): KcError => {
    record(kc, realm, { type: 'USER_INFO_REQUEST_ERROR', ipAddress: clientIp(ctx), error: eventError, details: { auth_method: 'validate_access_token', ...(eventError === 'access_denied' ? { reason: description } : {}) } });
    return new KcError(status, '', {
      'www-authenticate': `Bearer realm="${realm.name}", error="${error}", error_description="${description}"`,
      'content-type': 'text/plain;charset=UTF-8',
    });
  };
  if (!token) throw refuse(401, 'invalid_request', 'Token not provided');
  const v = await verifyToken(kc, token, 'Bearer', realm);
  if (!v || !v.session && !v.user.serviceAccountClientId) throw refuse(401, 'invalid_token', 'Token verification failed');
  // Keycloak ≥ 19.0.2 (keycloak#14237): userinfo is for OpenID Connect tokens only.
  if (!String(v.claims['scope'] ?? '').split(' ').includes('openid')) throw refuse(403, 'insufficient_scope', 'Missing openid scope', 'access_denied');
  const u = v.user;
  const claims: Record<string, unknown> = { sub: u.id, email_verified: u.emailVerified };
  const name = [u.firstName, u.lastName].filter(Boolean).join(' ');
  if (name) claims['name'] = name;
  claims['preferred_username'] = u.username;
  if (u.firstName) claims['given_name'] = u.firstName;
  if (u.lastName) claims['family_name'] = u.lastName;
  if (u.email) claims['email'] = u.email;
  record(kc, realm, { type: 'USER_INFO_REQUEST', clientId: String(v.claims['azp']), userId: u.id, sessionId: v.session?.id, ipAddress: clientIp(ctx), details: { auth_method: 'validate_access_token' } });
  ctx.send(200, claims);
}

export async function introspect(kc: Kc, ctx: RequestContext): Promise<void> {
  const realm = publicRealm(kc, ctx.params['realm']);
  const form = await readForm(ctx);
  const client = authClient(kc, ctx, realm, form, 'INTROSPECT_TOKEN');
  const token = form.get('token');
  if (!token) throw oauthError(400, 'invalid_request', 'Token not provided.');
  const hint = form.get('token_type_hint');
  if (hint && !['access_token', 'refresh_token', 'requesting_party_token'].includes(hint)) {
    throw oauthError(400, 'unsupported_token_type', `Unsupported token type [${hint}].`);
  }
  // Keycloak decides by the token itself, not the hint.
  const typ = peekClaims(token)?.['typ'] === 'Refresh' ? 'Refresh' : 'Bearer';
  const v = await verifyToken(kc, token, typ, realm);
  record(kc, realm, { type: 'INTROSPECT_TOKEN', clientId: client.clientId, userId: v?.user.id, sessionId: v?.session?.id, ipAddress: clientIp(ctx), details: {} });
  if (!v) { ctx.send(200, { active: false }); return; }
  ctx.send(200, { ...v.claims, client_id: v.claims['azp'], username: v.user.username, token_type: typ === 'Refresh' ? 'Refresh' : 'Bearer', active: true });
}

export async function revoke(kc: Kc, ctx: RequestContext): Promise<void> {
  const realm = publicRealm(kc, ctx.params['realm']);
  const form = await readForm(ctx);
  const client = authClient(kc, ctx, realm, form, 'REVOKE_GRANT');
  const token = form.get('token');
  if (!token) throw oauthError(400, 'invalid_request', 'Token not provided');
  const hint = form.get('token_type_hint');
  if (hint && hint !== 'access_token' && hint !== 'refresh_token') throw oauthError(400, 'unsupported_token_type', 'Unsupported token type');
  const typ = peekClaims(token)?.['typ'] === 'Refresh' ? 'Refresh' : 'Bearer';
  const v = await verifyToken(kc, token, typ, realm);
  // RFC 7009: an invalid or already revoked token is not an error.
  if (!v) { ctx.send(200); return; }
  if (v.claims['azp'] !== client.clientId) {
    record(kc, realm, { type: 'REVOKE_GRANT_ERROR', clientId: client.clientId, userId: v.user.id, ipAddress: clientIp(ctx), error: 'invalid_client' });
    throw oauthError(400, 'invalid_request', 'Unmatching clients');
  }
  kc.store.update(() => {
    if (typ === 'Bearer') {
      realm.revokedTokens.push({ jti: String(v.claims.jti), exp: Number(v.claims.exp) });
    } else {
      // Revoking a refresh token ends the client's part of every session of that user.
      for (const s of realm.sessions.filter((x) => x.userId === v.user.id)) delete s.clients[client.id];
      realm.sessions = realm.sessions.filter((s) => Object.keys(s.clients).length > 0);
    }
    recordEvent(realm, kc.now(), { type: 'REVOKE_GRANT', clientId: client.clientId, userId: v.user.id, ipAddress: clientIp(ctx), details: { token_type: typ === 'Refresh' ? 'refresh_token' : 'access_token' } });
  });
  ctx.send(200);
}

const html = { 'content-type': 'text/html;charset=utf-8' };
const logoutPage = (message: string): string => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Logging out</title></head><body><p id="message">${message}</p></body></html>`;

export async function logout(kc: Kc, ctx: RequestContext): Promise<void> {
  const realm = publicRealm(kc, ctx.params['realm']);
  const isForm = (ctx.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
  const form = ctx.method === 'POST' && isForm ? new URLSearchParams(await ctx.text()) : new URLSearchParams();
  if (ctx.method === 'POST' && form.has('refresh_token')) return backchannelLogout(kc, ctx, realm, form);
  return browserLogout(kc, ctx, realm, ctx.method === 'POST' ? form : ctx.query);
}

/** Client-authenticated logout with a refresh token: 204, or 400 invalid_grant for a bad token. */
async function backchannelLogout(kc: Kc, ctx: RequestContext, realm: RealmRec, form: URLSearchParams): Promise<void> {
  const client = authClient(kc, ctx, realm, form, 'LOGOUT');
  const result = await checkToken(kc, form.get('refresh_token')!, 'Refresh', realm);
  const fail = (text: string): KcError => {
    record(kc, realm, { type: 'LOGOUT_ERROR', clientId: client.clientId, ipAddress: clientIp(ctx), error: 'invalid_token' });
    return oauthError(400, 'invalid_grant', text);
  };
  if ('failure' in result) {
    // A token for a session that is already gone is simply nothing left to log out.
    if (result.failure === 'session') { ctx.send(204); return; }
    // LogoutEndpoint verifies the refresh token without its expiry and not-before checks
    // (verifyRefreshToken(…, checkExpiration=false)): a signed token of this client ends its
    // session if that still exists, and the answer is 204 either way.
    if (result.failure === 'expired' || result.failure === 'stale') {
      const claims = peekClaims(form.get('refresh_token')!);
      if (claims?.['azp'] !== client.clientId) throw fail('Invalid refresh token');
      const session = typeof claims['sid'] === 'string' ? activeSession(realm, claims['sid'], kc.now()) : undefined;
      if (session) {
        kc.store.update(() => {
          removeSession(realm, session.id);
          recordEvent(realm, kc.now(), { type: 'LOGOUT', clientId: client.clientId, userId: session.userId, sessionId: session.id, ipAddress: clientIp(ctx), details: {} });
        });
      }
      ctx.send(204);
      return;
    }
    throw fail('Invalid refresh token');
  }
  if (result.claims['azp'] !== client.clientId) throw fail('Invalid refresh token');
  kc.store.update(() => {
    removeSession(realm, result.session!.id);
    recordEvent(realm, kc.now(), { type: 'LOGOUT', clientId: client.clientId, userId: result.user.id, sessionId: result.session!.id, ipAddress: clientIp(ctx), details: {} });
  });
  ctx.send(204);
}

/** RP-initiated logout as a browser sees it: end the session named by id_token_hint, then redirect or confirm. */
async function browserLogout(kc: Kc, ctx: RequestContext, realm: RealmRec, params: URLSearchParams): Promise<void> {
  const hint = params.get('id_token_hint');
  const redirect = params.get('post_logout_redirect_uri');
  const clientId = params.get('client_id');
  if (redirect && !hint && !clientId) {
    throw new KcError(400, logoutPage('Missing parameters: id_token_hint'), html);
  }
  const v = hint ? await verifyToken(kc, hint, 'ID', realm) : undefined;
  if (hint && !v) throw new KcError(400, logoutPage('Invalid id_token_hint'), html);
  const client = clientByClientId(realm, clientId ?? String(v?.claims['azp'] ?? ''));
  if (redirect) {
    if (!client || !redirectAllowed(client, redirect)) throw new KcError(400, logoutPage('Invalid redirect uri'), html);
  }
  if (!v) { ctx.send(200, logoutPage('Do you want to log out?'), html); return; }
  kc.store.update(() => {
    removeSession(realm, v.session!.id);
    recordEvent(realm, kc.now(), { type: 'LOGOUT', clientId: client?.clientId, userId: v.user.id, sessionId: v.session!.id, ipAddress: clientIp(ctx), details: {} });
  });
  if (redirect) {
    const url = new URL(redirect);
    const state = params.get('state');
    if (state) url.searchParams.set('state', state);
    ctx.send(302, undefined, { location: url.toString() });
    return;
  }
  ctx.send(200, logoutPage('You are logged out'), html);
}

/** `post.logout.redirect.uris`: `+` means "same as redirectUris"; entries may end with `*`. */
function redirectAllowed(client: ClientRec, uri: string): boolean {
  const raw = client.attributes['post.logout.redirect.uris'] ?? '';
  const patterns = raw.split('##').filter(Boolean).flatMap((p) => (p === '+' ? client.redirectUris : [p]));
  return patterns.some((p) => p === '*' || (p.endsWith('*') ? uri.startsWith(p.slice(0, -1)) : uri === p));
}

