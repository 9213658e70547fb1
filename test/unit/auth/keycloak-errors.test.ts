import { describe, expect, it } from 'vitest';
import { AuthError, BackendError, ConflictError, NotFoundError } from '../../../src/core/errors.js';
import type { HttpResponse } from '../../../src/http/types.js';
import { keycloakError, keycloakMessage } from '../../../src/services/keycloak/errors.js';

function res(status: number, body: unknown): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: {}, body: Buffer.from(text), url: 'http://kc', attempts: 1, text: () => text, json: () => JSON.parse(text) };
}

describe('Keycloak error shapes', () => {
  it('reads the OAuth, errorMessage, field/errors and bare error shapes', () => {
    expect(keycloakMessage({ error: 'invalid_grant', error_description: 'Invalid user credentials' }, 401)).toBe('invalid_grant: Invalid user credentials');
    expect(keycloakMessage({ errorMessage: 'Client cdm-cli already exists' }, 409)).toBe('Client cdm-cli already exists');
    expect(keycloakMessage({ field: 'email', errorMessage: 'invalidEmailMessage' }, 400)).toBe('email: invalidEmailMessage');
    expect(keycloakMessage({ errors: [{ field: 'email', errorMessage: 'a' }, { errorMessage: 'b' }] }, 400)).toBe('email: a; b');
    expect(keycloakMessage({ error: 'Could not find client' }, 404)).toBe('Could not find client');
    expect(keycloakMessage(undefined, 502)).toBe('HTTP 502');
  });

  it('maps status and OAuth codes to typed errors that keep service and status', () => {
    const auth = keycloakError(res(400, { error: 'invalid_grant', error_description: 'Token is not active' }), 'token refresh');
    expect(auth).toBeInstanceOf(AuthError);
    expect(auth).toMatchObject({ service: 'keycloak', status: 400, message: 'token refresh: invalid_grant: Token is not active' });
    expect(keycloakError(res(403, { error: 'HTTP 403 Forbidden' }), 'x')).toBeInstanceOf(AuthError);
    expect(keycloakError(res(404, { error: 'Realm not found.' }), 'x')).toBeInstanceOf(NotFoundError);
    expect(keycloakError(res(409, { errorMessage: 'User exists with same username' }), 'x')).toBeInstanceOf(ConflictError);
    expect(keycloakError(res(500, '<html>oops</html>'), 'x')).toBeInstanceOf(BackendError);
  });
});
