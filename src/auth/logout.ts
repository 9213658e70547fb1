// `cdm auth logout`: back-channel logout at Keycloak (refresh token to the end-session endpoint),
// then the local tokens go. If the server cannot be reached, the tokens are still removed and the
// command says so and fails, because the server-side session may still be alive.
import { CdmError } from '../core/errors.js';
import type { Factory } from '../core/factory.js';
import { resolveSecret } from '../config/secret-ref.js';
import { keycloakError } from '../services/keycloak/errors.js';

export interface LogoutResult {
  context: string;
  sessionEnded: boolean;
  tokensRemoved: boolean;
}

export async function logout(f: Factory): Promise<LogoutResult> {
  const ctx = await f.context();
  const store = await f.credentials();
  const tokens = store.tokens(ctx.name);
  if (!tokens) return { context: ctx.name, sessionEnded: false, tokensRemoved: false };
  let failure: unknown;
  let sessionEnded = false;
  if (tokens.refreshToken && tokens.endSessionEndpoint) {
    try {
      const http = await f.http();
      const secret: Record<string, string> = tokens.clientSecret === undefined ? {} : { client_secret: await resolveSecret(tokens.clientSecret, f.io.env) };
      const res = await http.request({ service: 'keycloak', method: 'POST', url: tokens.endSessionEndpoint, form: { client_id: tokens.clientId, refresh_token: tokens.refreshToken, ...secret }, idempotent: true });
      // 400 invalid_grant: the session was already gone (expired or logged out elsewhere).
      if (res.status === 204 || res.status === 200 || res.status === 400) sessionEnded = true;
      else failure = keycloakError(res, 'logout');
    } catch (err) {
      failure = err;
    }
  }
  store.setTokens(ctx.name, undefined);
  if (failure) {
    throw new CdmError(`removed the local tokens of context "${ctx.name}", but the Keycloak session could not be ended: ${(failure as Error).message}`, {
      hint: 'the session ends by itself when it expires; an admin can end it now with `cdm tenant logout-all`',
    });
  }
  return { context: ctx.name, sessionEnded, tokensRemoved: true };
}
