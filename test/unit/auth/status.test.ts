import { describe, expect, it } from 'vitest';
import { AUTH_STATUS_VIEW, authStatus } from '../../../src/auth/status.js';
import type { OidcTokens } from '../../../src/config/credentials.js';

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = `${b64({ alg: 'none' })}.${b64({ iss: 'http://kc/realms/acme', preferred_username: 'ops', realm_access: { roles: ['cdm-operator'] } })}.`;
const now = Date.parse('2026-12-07T12:00:00Z');
const tokens = (o: Partial<OidcTokens>): OidcTokens => ({ grant: 'password', clientId: 'cdm-cli', accessToken: jwt, expiresAt: now - 60_000, tokenEndpoint: 'http://kc/token', ...o });
const accessRow = (t: OidcTokens): string => String(AUTH_STATUS_VIEW.find((c) => c.header === 'Access token')!.value(authStatus('acme', 'acme', t, now, '/x')));

describe('auth status: the access token', () => {
  it('valid: until when', () => {
    expect(accessRow(tokens({ expiresAt: now + 60_000 }))).toBe('valid until 2026-12-07T12:01:00.000Z');
  });

  it('expired but renewable without a login: a client credential, or a refresh token still valid', () => {
    expect(accessRow(tokens({ grant: 'client_credentials' }))).toBe('expired at 2026-12-07T11:59:00.000Z; the next command gets a new one');
    expect(accessRow(tokens({ refreshToken: 'r', refreshExpiresAt: now + 1000 }))).toMatch(/the next command gets a new one$/);
    expect(authStatus('acme', 'acme', tokens({ refreshToken: 'r' }), now, '/x').renewable).toBe(true);
  });

  it('expired with nothing to renew it: log in again', () => {
    expect(accessRow(tokens({ refreshToken: 'r', refreshExpiresAt: now - 1000 }))).toBe('expired at 2026-12-07T11:59:00.000Z; log in again: cdm auth login --context acme');
    expect(accessRow(tokens({}))).toMatch(/log in again/);
  });
});
