// `cdm auth login`: runs one of the three grants and stores the tokens for the context.
import type { Factory } from '../core/factory.js';
import type { OidcTokens } from '../config/credentials.js';
import { UsageError } from '../core/errors.js';
import { contextKeycloak } from './context-keycloak.js';
import { discoverRealm } from './discovery.js';
import { clientCredentialsGrant, passwordGrant, pollDeviceToken, startDeviceAuthorization, type TokenResponse } from './grants.js';
import { tokensFromResponse } from './session.js';

export type LoginRequest =
  | { grant: 'password'; username: string; password: string; clientId?: string; scope?: string }
  | { grant: 'client_credentials'; clientId: string; clientSecret: string; scope?: string; /** What to keep in the store instead of the secret itself (an env:/file:/cmd: reference). */ storeSecretAs?: string }
  | { grant: 'device_code'; clientId?: string; scope?: string };

export async function login(f: Factory, req: LoginRequest, sleep: (ms: number) => Promise<void>): Promise<OidcTokens> {
  const ctx = await f.context();
  const kc = contextKeycloak(ctx);
  const clientId = req.clientId ?? kc.clientId;
  const http = await f.http();
  const endpoints = await discoverRealm(http, kc.url, kc.realm);
  let res: TokenResponse;
  switch (req.grant) {
    case 'password':
      res = await passwordGrant(http, endpoints.token_endpoint, { clientId }, req.username, req.password, req.scope);
      break;
    case 'client_credentials':
      res = await clientCredentialsGrant(http, endpoints.token_endpoint, { clientId, clientSecret: req.clientSecret }, req.scope);
      break;
    case 'device_code': {
      if (!endpoints.device_authorization_endpoint) throw new UsageError(`realm ${kc.realm} does not offer the device authorization grant; use --username with --password-stdin`);
      const auth = await startDeviceAuthorization(http, endpoints.device_authorization_endpoint, { clientId }, req.scope);
      f.io.stderr.write(`! First copy your one-time code: ${auth.user_code}\n  Then open: ${auth.verification_uri_complete ?? auth.verification_uri}\n`);
      const spinner = await f.progress().spinner('Waiting for approval in the browser');
      try {
        res = await pollDeviceToken(http, endpoints.token_endpoint, { clientId }, auth, { sleep, now: f.clock });
        spinner.succeed('Approved');
      } catch (err) {
        spinner.fail('Not approved');
        throw err;
      }
      break;
    }
  }
  const base = {
    grant: req.grant,
    clientId,
    tokenEndpoint: endpoints.token_endpoint,
    ...(endpoints.end_session_endpoint ? { endSessionEndpoint: endpoints.end_session_endpoint } : {}),
    // Kept so client-credentials sessions can be renewed without a refresh token (store is 0600).
    ...(req.grant === 'client_credentials' ? { clientSecret: req.storeSecretAs ?? req.clientSecret } : {}),
  };
  const tokens = tokensFromResponse(res, base, f.clock());
  (await f.credentials()).setTokens(ctx.name, tokens);
  return tokens;
}
