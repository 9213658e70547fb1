// The OIDC session of one context: hands out an access token that stays valid, refreshing it
// ahead of expiry (so a bulk job or --watch that runs for an hour never sees a 401 from expiry).
import { AuthError } from '../core/errors.js';
import type { CredentialStore, OidcTokens } from '../config/credentials.js';
import { resolveSecret } from '../config/secret-ref.js';
import type { HttpClient } from '../http/types.js';
import { clientCredentialsGrant, refreshGrant, type TokenResponse } from './grants.js';

/** Refresh when less than this much lifetime is left (Keycloak master tokens live 60 s). */
const REFRESH_AHEAD_MS = 20_000;

export function tokensFromResponse(res: TokenResponse, base: Omit<OidcTokens, 'accessToken' | 'expiresAt' | 'refreshToken' | 'refreshExpiresAt'>, now: number): OidcTokens {
  const tokens: OidcTokens = { ...base, accessToken: res.access_token, expiresAt: now + res.expires_in * 1000 };
  if (res.refresh_token) {
    tokens.refreshToken = res.refresh_token;
    // refresh_expires_in 0 means "no expiry of its own" (offline tokens); keep it unbounded.
    if (res.refresh_expires_in) tokens.refreshExpiresAt = now + res.refresh_expires_in * 1000;
  }
  if (res.scope) tokens.scope = res.scope;
  return tokens;
}

export class OidcSession {
  private inflight: Promise<string> | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly store: CredentialStore,
    private readonly context: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly now: () => number = Date.now,
    /** Used when no tokens are stored: e.g. a client credential the sandbox or CI put in the store. */
    private readonly autoLogin?: () => Promise<OidcTokens | undefined>,
  ) {}

  current(): OidcTokens | undefined {
    return this.store.tokens(this.context);
  }

  /** A valid access token, refreshed if it is about to expire. */
  accessToken(): Promise<string> {
    const tokens = this.current();
    if (!tokens) {
      this.inflight ??= this.firstLogin().finally(() => { this.inflight = undefined; });
      return this.inflight;
    }
    if (tokens.expiresAt - this.now() > REFRESH_AHEAD_MS) return Promise.resolve(tokens.accessToken);
    // Concurrent requests share one refresh: a refresh token may be single-use.
    this.inflight ??= this.renew(tokens).finally(() => { this.inflight = undefined; });
    return this.inflight;
  }

  private async firstLogin(): Promise<string> {
    const tokens = this.autoLogin ? await this.autoLogin() : undefined;
    if (!tokens) throw notLoggedIn(this.context);
    return tokens.accessToken;
  }

  private async renew(tokens: OidcTokens): Promise<string> {
    const secret = tokens.clientSecret === undefined ? undefined : await resolveSecret(tokens.clientSecret, this.env);
    const client = { clientId: tokens.clientId, ...(secret !== undefined ? { clientSecret: secret } : {}) };
    const base = { grant: tokens.grant, clientId: tokens.clientId, tokenEndpoint: tokens.tokenEndpoint, ...(tokens.clientSecret !== undefined ? { clientSecret: tokens.clientSecret } : {}), ...(tokens.endSessionEndpoint ? { endSessionEndpoint: tokens.endSessionEndpoint } : {}) };
    const now = this.now();
    let res: TokenResponse;
    if (tokens.refreshToken && (tokens.refreshExpiresAt === undefined || tokens.refreshExpiresAt > now)) {
      try {
        res = await refreshGrant(this.http, tokens.tokenEndpoint, client, tokens.refreshToken);
      } catch (err) {
        if (err instanceof AuthError) throw sessionEnded(this.context, err.message);
        throw err;
      }
    } else if (tokens.grant === 'client_credentials' && secret !== undefined) {
      res = await clientCredentialsGrant(this.http, tokens.tokenEndpoint, client);
    } else {
      throw sessionEnded(this.context, 'the refresh token has expired');
    }
    const next = tokensFromResponse(res, base, now);
    this.store.setTokens(this.context, next);
    return next.accessToken;
  }
}

function notLoggedIn(context: string): AuthError {
  return new AuthError(`not logged in on context "${context}"`, { hint: `run \`cdm auth login --context ${context}\`` });
}

function sessionEnded(context: string, why: string): AuthError {
  return new AuthError(`the login session of context "${context}" has ended (${why})`, { hint: `run \`cdm auth login --context ${context}\`` });
}
