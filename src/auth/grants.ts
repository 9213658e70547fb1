// OAuth 2.0 grants against a Keycloak token endpoint (reference §1.2.1–1.2.2).
import { AuthError, PendingError } from '../core/errors.js';
import type { HttpClient } from '../http/types.js';
import { keycloakError } from '../services/keycloak/errors.js';

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  refresh_expires_in?: number;
  token_type: string;
  scope?: string;
}

export interface ClientAuth {
  clientId: string;
  clientSecret?: string;
}

/** Public clients send only client_id; confidential ones add the secret as a form parameter. */
function clientForm(client: ClientAuth): Record<string, string> {
  return client.clientSecret === undefined ? { client_id: client.clientId } : { client_id: client.clientId, client_secret: client.clientSecret };
}

export async function tokenGrant(http: HttpClient, tokenEndpoint: string, client: ClientAuth, form: Record<string, string>, what: string): Promise<TokenResponse> {
  // Never retried: a consumed device code or refresh token must not be replayed blindly.
  const res = await http.request({ service: 'keycloak', method: 'POST', url: tokenEndpoint, form: { ...form, ...clientForm(client) }, idempotent: false });
  if (res.status !== 200) throw keycloakError(res, what);
  const body = res.json<TokenResponse>();
  if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
    throw new AuthError(`${what}: the token endpoint answered without access_token/expires_in`, { service: 'keycloak' });
  }
  return body;
}

/**
 * The scopes every login asks for: `openid` and the caller's extra ones. Keycloak (≥ 19.0.2) answers
 * userinfo only for tokens with `openid` (403 insufficient_scope otherwise), and the provider bridge
 * authenticates `tenant prepare` through userinfo: without it a real bridge says "Invalid or expired
 * token" to a valid login.
 */
export function loginScope(extra?: string): string {
  return [...new Set(['openid', ...(extra ?? '').split(/\s+/).filter(Boolean)])].join(' ');
}

export function passwordGrant(http: HttpClient, endpoint: string, client: ClientAuth, username: string, password: string, scope?: string): Promise<TokenResponse> {
  return tokenGrant(http, endpoint, client, { grant_type: 'password', username, password, scope: loginScope(scope) }, 'login with username and password');
}

export function clientCredentialsGrant(http: HttpClient, endpoint: string, client: ClientAuth, scope?: string): Promise<TokenResponse> {
  return tokenGrant(http, endpoint, client, { grant_type: 'client_credentials', scope: loginScope(scope) }, 'login with client credentials');
}

export function refreshGrant(http: HttpClient, endpoint: string, client: ClientAuth, refreshToken: string): Promise<TokenResponse> {
  return tokenGrant(http, endpoint, client, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'token refresh');
}

export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

export async function startDeviceAuthorization(http: HttpClient, endpoint: string, client: ClientAuth, scope?: string): Promise<DeviceAuthorization> {
  const res = await http.request({ service: 'keycloak', method: 'POST', url: endpoint, form: { ...clientForm(client), scope: loginScope(scope) }, idempotent: false });
  if (res.status !== 200) throw keycloakError(res, 'device authorization');
  return res.json<DeviceAuthorization>();
}

export interface PollOptions {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** Polls until the user approves (RFC 8628 §3.5): waits `interval`, adds 5 s on slow_down. */
export async function pollDeviceToken(http: HttpClient, tokenEndpoint: string, client: ClientAuth, auth: DeviceAuthorization, opts: PollOptions): Promise<TokenResponse> {
  let intervalMs = Math.max(1, auth.interval ?? 5) * 1000;
  const deadline = opts.now() + auth.expires_in * 1000;
  for (;;) {
    await opts.sleep(intervalMs);
    const res = await http.request({
      service: 'keycloak', method: 'POST', url: tokenEndpoint, idempotent: false,
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: auth.device_code, ...clientForm(client) },
    });
    if (res.status === 200) return res.json<TokenResponse>();
    let code: string | undefined;
    try { code = (JSON.parse(res.text()) as { error?: string }).error; } catch { code = undefined; }
    if (code === 'authorization_pending') {
      if (opts.now() >= deadline) throw new PendingError('the device code expired before it was approved; run `cdm auth login` again');
      continue;
    }
    if (code === 'slow_down') { intervalMs += 5000; continue; }
    if (code === 'expired_token') throw new AuthError('the device code expired before it was approved; run `cdm auth login` again', { service: 'keycloak', status: res.status });
    if (code === 'access_denied') throw new AuthError('the login was denied in the browser', { service: 'keycloak', status: res.status });
    throw keycloakError(res, 'device login');
  }
}
