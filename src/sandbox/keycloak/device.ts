// OAuth 2.0 device authorization grant (reference §1.2.2): the `auth/device` endpoint, polling at the
// token endpoint with Keycloak's order of checks (unknown → slow_down → expired → pending → denied),
// and a minimal verification page where a user enters the user code and signs in to approve or deny.
import { randomBytes, randomInt } from 'node:crypto';
import type { RequestContext } from '../kit/router.js';
import { authenticateClient, ClientAuthError, readForm } from './client-auth.js';
import { clientIp, issuerOf, publicRealm, requireEnabled, type Kc } from './context.js';
import { KcError, oauthError } from './errors.js';
import { recordEvent } from './events.js';
import type { FailFn } from './grants.js';
import { clientByClientId, userById, userByLogin } from './model.js';
import { verifyPassword } from './passwords.js';
import { activeSession, createSession, pruneRealm } from './sessions.js';
import type { ClientRec, DeviceCodeRec, RealmRec, UserRec } from './state.js';
import { issueTokens, scopeRefusal } from './tokens.js';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const FLOW_DISABLED = 'Client is not allowed to initiate OAuth 2.0 Device Authorization Grant. The flow is disabled for the client.';
const USER_CODE_CHARS = 'BCDFGHJKLMNPQRSTVWXZ'; // Keycloak avoids vowels so codes never spell words

const deviceFlowEnabled = (c: ClientRec): boolean => c.attributes['oauth2.device.authorization.grant.enabled'] === 'true';
const normalize = (code: string): string => code.toUpperCase().replace(/[^A-Z]/g, '');

function clientNumber(c: ClientRec, attr: string, fallback: number): number {
  const v = Number(c.attributes[attr]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export async function deviceAuthorization(kc: Kc, ctx: RequestContext): Promise<void> {
  const realm = publicRealm(kc, ctx.params['realm']);
  requireEnabled(realm);
  const form = await readForm(ctx);
  const event = (error: string, clientId?: string): void => kc.store.update((s) =>
    recordEvent(s.realms[realm.name]!, kc.now(), { type: 'OAUTH2_DEVICE_AUTH_ERROR', clientId, ipAddress: clientIp(ctx), error }));
  const named = form.get('client_id') ?? basicClientId(ctx);
  const known = named ? clientByClientId(realm, named) : undefined;
  // DeviceEndpoint reports unknown/disabled clients itself, as 400, before secrets are checked.
  if (!known) { event('client_not_found', named ?? undefined); throw oauthError(400, 'invalid_client', 'Client not found.'); }
  if (!known.enabled) { event('client_disabled', known.clientId); throw oauthError(400, 'invalid_client', 'Client disabled.'); }
  let client: ClientRec;
  try {
    client = authenticateClient(realm, ctx, form);
  } catch (err) {
    if (err instanceof ClientAuthError) event(err.eventError, err.clientId);
    throw err;
  }
  if (client.bearerOnly) { event('not_allowed', client.clientId); throw oauthError(403, 'unauthorized_client', 'Bearer-only applications are not allowed to initiate browser login.'); }
  if (!deviceFlowEnabled(client)) { event('not_allowed', client.clientId); throw oauthError(400, 'unauthorized_client', FLOW_DISABLED); }
  const badScope = scopeRefusal(form.get('scope') ?? undefined);
  if (badScope) { event('invalid_request', client.clientId); throw badScope; }

  const now = kc.now();
  const expiresIn = clientNumber(client, 'oauth2.device.code.lifespan', realm.settings.oauth2DeviceCodeLifespan);
  const interval = clientNumber(client, 'oauth2.device.polling.interval', realm.settings.oauth2DevicePollingInterval);
  const raw = Array.from({ length: 8 }, () => USER_CODE_CHARS[randomInt(USER_CODE_CHARS.length)]).join('');
  const rec: DeviceCodeRec = {
    deviceCode: randomBytes(32).toString('base64url'), userCode: `${raw.slice(0, 4)}-${raw.slice(4)}`, clientId: client.clientId,
    scope: form.get('scope') ?? '', createdAt: now, expiresAt: now + expiresIn * 1000, interval, status: 'pending',
  };
  kc.store.update((s) => {
    const r = s.realms[realm.name]!;
    pruneRealm(r, now);
    r.deviceCodes.push(rec);
    recordEvent(r, now, { type: 'OAUTH2_DEVICE_AUTH', clientId: client.clientId, ipAddress: clientIp(ctx), details: { user_code: rec.userCode } });
  });
  const verification = `${issuerOf(kc, realm.name)}/device`;
  ctx.send(200, {
    device_code: rec.deviceCode, user_code: rec.userCode, verification_uri: verification,
    verification_uri_complete: `${verification}?user_code=${rec.userCode}`, expires_in: expiresIn, interval,
  });
}

function basicClientId(ctx: RequestContext): string | undefined {
  const h = ctx.header('authorization');
  if (!h || !/^basic /i.test(h)) return undefined;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const id = decoded.split(':')[0];
  try { return id ? decodeURIComponent(id) : undefined; } catch { return undefined; }
}

/** Polling with grant_type=urn:ietf:params:oauth:grant-type:device_code (client already authenticated). */
export async function pollDeviceCode(kc: Kc, ctx: RequestContext, realm: RealmRec, client: ClientRec, form: URLSearchParams, fails: FailFn): Promise<void> {
  if (!deviceFlowEnabled(client)) { fails('not_allowed'); throw oauthError(400, 'unauthorized_client', FLOW_DISABLED); }
  const code = form.get('device_code');
  if (!code) { fails('invalid_request'); throw oauthError(400, 'invalid_request', 'Missing parameter: device_code'); }
  const now = kc.now();
  const rec = realm.deviceCodes.find((d) => d.deviceCode === code && d.clientId === client.clientId);
  if (!rec) { fails('invalid_oauth2_device_code'); throw oauthError(400, 'invalid_grant', 'Device code not valid'); }
  // A poll inside the interval does not move the window (Keycloak's putIfAbsent marker).
  if (rec.lastPollAt !== undefined && now < rec.lastPollAt + rec.interval * 1000) {
    fails('slow_down');
    throw oauthError(400, 'slow_down', 'Slow down');
  }
  kc.store.update((s) => { const r = s.realms[realm.name]!.deviceCodes.find((d) => d.deviceCode === code); if (r) r.lastPollAt = now; });
  if (now >= rec.expiresAt) { fails('expired_oauth2_device_code'); throw oauthError(400, 'expired_token', 'Device code is expired'); }
  if (rec.status === 'pending') throw oauthError(400, 'authorization_pending', 'The authorization request is still pending');
  if (rec.status === 'denied') { fails('access_denied'); throw oauthError(400, 'access_denied', 'The end user denied the authorization request'); }

  // Approved: the code is consumed now, so a second exchange finds nothing (invalid_grant).
  kc.store.update((s) => { const r = s.realms[realm.name]!; r.deviceCodes = r.deviceCodes.filter((d) => d.deviceCode !== code); });
  const user = rec.userId ? userById(realm, rec.userId) : undefined;
  if (!user || !user.enabled) { fails('user_disabled', rec.userId); throw oauthError(400, 'invalid_grant', 'User disabled'); }
  const session = activeSession(realm, rec.sessionId, now);
  if (!session) { fails('session_expired', user.id); throw oauthError(400, 'invalid_grant', 'Session not active'); }
  kc.store.update((s) => { const live = s.realms[realm.name]!.sessions.find((x) => x.id === session.id)!; live.clients[client.id] = client.clientId; live.lastAccess = now; });
  const tokens = await issueTokens(kc, realm, client, user, session, rec.scope || form.get('scope') || undefined);
  kc.store.update((s) => recordEvent(s.realms[realm.name]!, kc.now(), {
    type: 'OAUTH2_DEVICE_CODE_TO_TOKEN', clientId: client.clientId, userId: user.id, sessionId: session.id, ipAddress: clientIp(ctx),
    details: { grant_type: DEVICE_GRANT, scope: tokens.scope, client_auth_method: 'client-secret', code_id: session.id },
  }));
  ctx.send(200, tokens, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

// ---------------------------------------------------------------- verification page (a browser's view)

function page(title: string, message: string, userCode = ''): string {
  const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body>
<h1>${esc(title)}</h1><p id="message">${esc(message)}</p>
<form method="post"><label>Code <input name="user_code" value="${esc(userCode)}"></label>
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button name="action" value="approve">Yes</button><button name="action" value="deny">No</button></form></body></html>`;
}
const html = { 'content-type': 'text/html;charset=utf-8' };

export function verificationPage(kc: Kc, ctx: RequestContext): void {
  const realm = publicRealm(kc, ctx.params['realm']);
  ctx.send(200, page('Device Login', `Sign in to ${realm.settings.displayName ?? realm.name} and enter the code displayed on your device.`, ctx.query.get('user_code') ?? ''), html);
}

export async function verificationSubmit(kc: Kc, ctx: RequestContext): Promise<void> {
  const realm = publicRealm(kc, ctx.params['realm']);
  const form = await readForm(ctx);
  const userCode = form.get('user_code') ?? '';
  const ip = clientIp(ctx);
  const now = kc.now();
  const rec = findPending(realm, userCode, now);
  if (typeof rec === 'string') {
    kc.store.update((s) => recordEvent(s.realms[realm.name]!, now, { type: 'OAUTH2_DEVICE_VERIFY_USER_CODE_ERROR', ipAddress: ip, error: rec }));
    const msg = rec === 'expired_oauth2_user_code' ? 'The code has expired. Please go back to your device and try connecting again.' : 'Invalid code, please try again.';
    throw new KcError(400, page('Device Login', msg, userCode), html);
  }
  kc.store.update((s) => recordEvent(s.realms[realm.name]!, now, { type: 'OAUTH2_DEVICE_VERIFY_USER_CODE', clientId: rec.clientId, ipAddress: ip, details: { user_code: rec.userCode } }));
  const username = form.get('username') ?? '';
  const user = userByLogin(realm, username);
  const loginError = (error: string, text: string, status: number, userId?: string): KcError => {
    kc.store.update((s) => recordEvent(s.realms[realm.name]!, now, { type: 'LOGIN_ERROR', clientId: rec.clientId, userId, ipAddress: ip, error, details: { auth_method: 'openid-connect', username } }));
    return new KcError(status, page('Sign in', text, userCode), html);
  };
  if (!user) throw loginError('user_not_found', 'Invalid username or password.', 401);
  if (!user.enabled) throw loginError('user_disabled', 'Account is disabled, contact your administrator.', 400, user.id);
  if (!(await verifyPassword(form.get('password') ?? '', user.passwordHash))) throw loginError('invalid_user_credentials', 'Invalid username or password.', 401, user.id);
  if (user.requiredActions.length > 0) throw loginError('resolve_required_actions', 'You need to update your password to activate your account.', 400, user.id);

  const approve = (form.get('action') ?? 'approve') !== 'deny';
  decide(kc, realm, rec.userCode, user, approve, ip);
  if (approve) ctx.send(200, page('Device Login Successful', 'Device Login Successful. You may now close this browser window and go back to your device.'), html);
  else ctx.send(200, page('Device Login', 'Consent denied. The device will not be signed in.'), html);
}

function findPending(realm: RealmRec, userCode: string, now: number): DeviceCodeRec | 'invalid_oauth2_user_code' | 'expired_oauth2_user_code' {
  const rec = realm.deviceCodes.find((d) => normalize(d.userCode) === normalize(userCode) && d.status === 'pending');
  if (!rec || !userCode) return 'invalid_oauth2_user_code';
  return now >= rec.expiresAt ? 'expired_oauth2_user_code' : rec;
}

/** Marks a pending code approved (creating the user session, as the browser login would) or denied. */
export function decide(kc: Kc, realm: RealmRec, userCode: string, user: UserRec, approve: boolean, ip: string): void {
  const now = kc.now();
  kc.store.update((s) => {
    const r = s.realms[realm.name]!;
    const rec = r.deviceCodes.find((d) => d.userCode === userCode)!;
    rec.userId = user.id;
    if (!approve) { rec.status = 'denied'; return; }
    const client = clientByClientId(r, rec.clientId);
    if (!client) { rec.status = 'denied'; return; }
    const session = createSession(r, user, client, ip, now);
    rec.status = 'approved';
    rec.sessionId = session.id;
    recordEvent(r, now, { type: 'LOGIN', clientId: client.clientId, userId: user.id, sessionId: session.id, ipAddress: ip, details: { auth_method: 'openid-connect', username: user.username, response_type: 'code' } });
  });
}

/** Programmatic approval for the sandbox host and tests (no password: the caller vouches for the user). */
export function approveByHost(kc: Kc, realmName: string, userCode: string, username: string): void {
  const realm = kc.store.state.realms[realmName];
  if (!realm) throw new Error(`keycloak sandbox: realm ${realmName} does not exist`);
  const rec = findPending(realm, userCode, kc.now());
  if (typeof rec === 'string') throw new Error(`keycloak sandbox: no pending device code ${userCode} in realm ${realmName} (${rec})`);
  const user = userByLogin(realm, username);
  if (!user) throw new Error(`keycloak sandbox: user ${username} does not exist in realm ${realmName}`);
  decide(kc, realm, rec.userCode, user, true, '127.0.0.1');
}
