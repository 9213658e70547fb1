// What `cdm auth status` reports about a stored session.
import type { OidcTokens } from '../config/credentials.js';
import type { View } from '../core/output.js';
import { decodeClaims } from './jwt.js';

export interface AuthStatusItem {
  context: string;
  realm: string;
  issuer?: string;
  user?: string;
  clientId: string;
  grant: string;
  roles: string[];
  accessTokenExpiresAt: string;
  accessTokenValid: boolean;
  /** A new access token comes without a login: a client credential, or a refresh token still valid. */
  renewable: boolean;
  refreshTokenExpiresAt?: string;
  store: string;
}

export function authStatus(context: string, realm: string, tokens: OidcTokens, now: number, store: string): AuthStatusItem {
  const claims = decodeClaims(tokens.accessToken);
  const item: AuthStatusItem = {
    context,
    realm,
    clientId: tokens.clientId,
    grant: tokens.grant,
    roles: claims.realm_access?.roles ?? [],
    accessTokenExpiresAt: new Date(tokens.expiresAt).toISOString(),
    accessTokenValid: tokens.expiresAt > now,
    renewable: tokens.grant === 'client_credentials' || (tokens.refreshToken !== undefined && (tokens.refreshExpiresAt === undefined || tokens.refreshExpiresAt > now)),
    store,
  };
  if (claims.iss) item.issuer = claims.iss;
  if (claims.preferred_username) item.user = claims.preferred_username;
  if (tokens.refreshToken) item.refreshTokenExpiresAt = tokens.refreshExpiresAt ? new Date(tokens.refreshExpiresAt).toISOString() : 'never';
  return item;
}

export const AUTH_STATUS_VIEW: View<AuthStatusItem> = [
  { header: 'Context', value: (s) => s.context },
  { header: 'Realm', value: (s) => s.realm },
  { header: 'Issuer', value: (s) => s.issuer },
  { header: 'User', value: (s) => s.user },
  { header: 'Client', value: (s) => s.clientId },
  { header: 'Grant', value: (s) => s.grant },
  { header: 'Roles', value: (s) => s.roles.join(', ') },
  { header: 'Access token', value: accessTokenState },
  { header: 'Refresh token', value: (s) => (s.refreshTokenExpiresAt ? `until ${s.refreshTokenExpiresAt}` : 'none') },
  { header: 'Stored in', value: (s) => s.store },
];

function accessTokenState(s: AuthStatusItem): string {
  if (s.accessTokenValid) return `valid until ${s.accessTokenExpiresAt}`;
  return `expired at ${s.accessTokenExpiresAt}; ${s.renewable ? 'the next command gets a new one' : `log in again: cdm auth login --context ${s.context}`}`;
}
