// POST …/protocol/openid-connect/token: the four grants the CLI uses (reference §1.2.1), with the
// order of checks and the error texts Keycloak emits, and the events it records for each outcome.
import type { RequestContext } from '../kit/router.js';
import { authenticateClient, ClientAuthError, readForm } from './client-auth.js';
import { clientIp, publicRealm, requireEnabled, type Kc } from './context.js';
import { DEVICE_GRANT, pollDeviceCode } from './device.js';
import { oauthError } from './errors.js';
import { recordEvent } from './events.js';
import { ensureServiceAccount, userByLogin } from './model.js';
import { verifyPassword } from './passwords.js';
import { createSession, pruneRealm } from './sessions.js';
import type { ClientRec, RealmRec } from './state.js';
import { checkToken, issueTokens, scopeRefusal } from './tokens.js';

const GRANTS = new Set(['password', 'client_credentials', 'refresh_token', DEVICE_GRANT, 'authorization_code']);

export async function tokenEndpoint(kc: Kc, ctx: RequestContext): Promise<void> {
  const realm = publicRealm(kc, ctx.params['realm']);
  requireEnabled(realm);
  const form = await readForm(ctx);
  const grant = form.get('grant_type');
  if (!grant) throw oauthError(400, 'invalid_request', 'Missing form parameter: grant_type');
  if (!GRANTS.has(grant)) throw oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
  pruneRealm(realm, kc.now()); // in-memory only: expired data is invisible whether or not it is persisted

  const eventType = grant === 'client_credentials' ? 'CLIENT_LOGIN' : grant === 'refresh_token' ? 'REFRESH_TOKEN'
    : grant === DEVICE_GRANT ? 'OAUTH2_DEVICE_CODE_TO_TOKEN' : grant === 'authorization_code' ? 'CODE_TO_TOKEN' : 'LOGIN';
  const base = { grant_type: grant, auth_method: 'openid-connect' };
  let client: ClientRec;
  try {
    client = authenticateClient(realm, ctx, form);
  } catch (err) {
    if (err instanceof ClientAuthError) fail(kc, realm, ctx, `${eventType}_ERROR`, err.eventError, err.clientId, undefined, base);
    throw err;
  }
  const fails = (error: string, userId?: string, details: Record<string, string> = {}): void =>
    fail(kc, realm, ctx, `${eventType}_ERROR`, error, client.clientId, userId, { ...base, ...details });

  switch (grant) {
    case 'password': return passwordGrant(kc, ctx, realm, client, form, fails);
    case 'client_credentials': return clientCredentials(kc, ctx, realm, client, form, fails);
    case 'refresh_token': return refreshGrant(kc, ctx, realm, client, form, fails);
    case DEVICE_GRANT: return pollDeviceCode(kc, ctx, realm, client, form, fails);
    default:
      // The emulator has no browser login, so it never issues authorization codes: every code is unknown.
      if (!form.get('code')) throw oauthError(400, 'invalid_request', 'Missing parameter: code');
      fails('invalid_code');
      throw oauthError(400, 'invalid_grant', 'Code not valid');
  }
}

export type FailFn = (error: string, userId?: string, details?: Record<string, string>) => void;

function fail(kc: Kc, realm: RealmRec, ctx: RequestContext, type: string, error: string, clientId: string | undefined, userId: string | undefined, details: Record<string, string>): void {
  kc.store.update((s) => recordEvent(s.realms[realm.name]!, kc.now(), { type, clientId, userId, ipAddress: clientIp(ctx), error, details }));
}

async function passwordGrant(kc: Kc, ctx: RequestContext, realm: RealmRec, client: ClientRec, form: URLSearchParams, fails: FailFn): Promise<void> {
  if (!client.directAccessGrantsEnabled) {
    fails('not_allowed');
    throw oauthError(400, 'unauthorized_client', 'Client not allowed for direct access grants');
  }
  const username = form.get('username');
  if (!username) {
    fails('user_not_found');
    throw oauthError(400, 'invalid_request', 'Missing parameter: username');
  }
  const details = { username };
  const user = userByLogin(realm, username);
  if (!user) {
    fails('user_not_found', undefined, details);
    throw oauthError(401, 'invalid_grant', 'Invalid user credentials');
  }
  // ValidateUsername checks "enabled" before the password is looked at, so this answer comes first.
  if (!user.enabled) {
    fails('user_disabled', user.id, details);
    throw oauthError(400, 'invalid_grant', 'Account disabled');
  }
  if (!(await verifyPassword(form.get('password') ?? '', user.passwordHash))) {
    fails('invalid_user_credentials', user.id, details);
    throw oauthError(401, 'invalid_grant', 'Invalid user credentials');
  }
  if (user.requiredActions.length > 0) {
    fails('resolve_required_actions', user.id, details);
    throw oauthError(400, 'invalid_grant', 'Account is not fully set up');
  }
  const badScope = scopeRefusal(form.get('scope') ?? undefined);
  if (badScope) { fails('invalid_request', user.id, { ...details, reason: badScope.message }); throw badScope; }
  const session = kc.store.update((s) => createSession(s.realms[realm.name]!, user, client, clientIp(ctx), kc.now()));
  const tokens = await issueTokens(kc, realm, client, user, session, form.get('scope') ?? undefined);
  kc.store.update((s) => recordEvent(s.realms[realm.name]!, kc.now(), {
    type: 'LOGIN', clientId: client.clientId, userId: user.id, sessionId: session.id, ipAddress: clientIp(ctx),
    details: { auth_method: 'openid-connect', grant_type: 'password', username: user.username, scope: tokens.scope, client_auth_method: 'client-secret' },
  }));
  ctx.send(200, tokens, noStore);
}

async function clientCredentials(kc: Kc, ctx: RequestContext, realm: RealmRec, client: ClientRec, form: URLSearchParams, fails: FailFn): Promise<void> {
  if (client.publicClient) {
    fails('invalid_client');
    throw oauthError(400, 'unauthorized_client', 'Public client not allowed to retrieve service account');
  }
  if (!client.serviceAccountsEnabled) {
    fails('invalid_client');
    throw oauthError(400, 'unauthorized_client', 'Client not enabled to retrieve service account');
  }
  const user = kc.store.update((s) => ensureServiceAccount(s.realms[realm.name]!, client, kc.now()));
  if (!user.enabled) {
    fails('user_disabled', user.id);
    throw oauthError(400, 'invalid_request', `User '${user.username}' disabled`);
  }
  const badScope = scopeRefusal(form.get('scope') ?? undefined);
  if (badScope) { fails('invalid_request', user.id); throw badScope; }
  // No user session (and no refresh token) unless the client opts in with client_credentials.use_refresh_token.
  const withRefresh = client.attributes['client_credentials.use_refresh_token'] === 'true';
  const session = withRefresh ? kc.store.update((s) => createSession(s.realms[realm.name]!, user, client, clientIp(ctx), kc.now())) : undefined;
  const tokens = await issueTokens(kc, realm, client, user, session, form.get('scope') ?? undefined);
  if (!withRefresh) delete tokens.session_state;
  kc.store.update((s) => recordEvent(s.realms[realm.name]!, kc.now(), {
    type: 'CLIENT_LOGIN', clientId: client.clientId, userId: user.id, sessionId: session?.id, ipAddress: clientIp(ctx),
    details: { grant_type: 'client_credentials', scope: tokens.scope, client_auth_method: 'client-secret', username: user.username },
  }));
  ctx.send(200, tokens, noStore);
}

async function refreshGrant(kc: Kc, ctx: RequestContext, realm: RealmRec, client: ClientRec, form: URLSearchParams, fails: FailFn): Promise<void> {
  const raw = form.get('refresh_token');
  if (!raw) {
    fails('invalid_token');
    throw oauthError(400, 'invalid_request', 'Missing parameter: refresh_token');
  }
  const checked = await checkToken(kc, raw, 'Refresh', realm);
  if ('failure' in checked) {
    const [error, text] = {
      invalid: ['invalid_token', 'Invalid refresh token'],
      expired: ['invalid_token', 'Token is not active'],
      stale: ['invalid_token', 'Stale token'],
      session: ['invalid_token', 'Session not active'],
      user: ['user_not_found', 'Invalid refresh token'],
    }[checked.failure];
    fails(error!);
    throw oauthError(400, 'invalid_grant', text);
  }
  if (checked.claims['azp'] !== client.clientId) {
    fails('invalid_token', checked.user.id);
    throw oauthError(400, 'invalid_grant', "Invalid refresh token. Token client and authorized client don't match");
  }
  const session = kc.store.update((s) => {
    const live = s.realms[realm.name]!.sessions.find((x) => x.id === checked.session!.id)!;
    live.lastAccess = kc.now();
    live.clients[client.id] = client.clientId;
    return live;
  });
  const tokens = await issueTokens(kc, realm, client, checked.user, session, String(checked.claims['scope'] ?? ''));
  kc.store.update((s) => recordEvent(s.realms[realm.name]!, kc.now(), {
    type: 'REFRESH_TOKEN', clientId: client.clientId, userId: checked.user.id, sessionId: session.id, ipAddress: clientIp(ctx),
    details: { token_id: String(checked.claims.jti), refresh_token_type: 'Refresh', scope: tokens.scope, client_auth_method: 'client-secret', grant_type: 'refresh_token' },
  }));
  ctx.send(200, tokens, noStore);
}

/** Token responses are never cacheable (Keycloak sends these on every token response). */
export const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
