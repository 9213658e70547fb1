// Keycloak answers errors in three shapes (reference §1.1): OAuth `{error, error_description}`,
// `{errorMessage}` (with optional field/params, or an `errors` list), and `{error}` alone.
// This turns any of them into a typed error that keeps the server's own words.
import { AuthError, BackendError, ConflictError, NotFoundError, type CdmError } from '../../core/errors.js';
import type { HttpResponse } from '../../http/types.js';

export interface KeycloakErrorBody {
  error?: string;
  error_description?: string;
  errorMessage?: string;
  field?: string;
  errors?: Array<{ errorMessage?: string; field?: string }>;
}

export function keycloakMessage(body: KeycloakErrorBody | undefined, status: number): string {
  if (!body || typeof body !== 'object') return `HTTP ${status}`;
  if (body.error && body.error_description) return `${body.error}: ${body.error_description}`;
  if (body.errorMessage) return body.field ? `${body.field}: ${body.errorMessage}` : body.errorMessage;
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    return body.errors.map((e) => (e.field ? `${e.field}: ${e.errorMessage ?? ''}` : e.errorMessage ?? '')).join('; ');
  }
  if (body.error) return body.error;
  return `HTTP ${status}`;
}

const AUTH_CODES = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'invalid_token', 'access_denied', 'expired_token', 'invalid_scope']);

export function keycloakError(res: HttpResponse, what: string): CdmError {
  let body: KeycloakErrorBody | undefined;
  try {
    body = JSON.parse(res.text()) as KeycloakErrorBody;
  } catch {
    body = undefined;
  }
  const message = `${what}: ${keycloakMessage(body, res.status)}`;
  const details = { service: 'keycloak', status: res.status };
  if (res.status === 401 || res.status === 403 || (body?.error !== undefined && AUTH_CODES.has(body.error))) {
    const hint = body?.error === 'invalid_scope' ? '--scope may name only client scopes of the login client (its default and optional scopes in Keycloak)'
      : res.status === 403 ? 'the token lacks the role this needs' : 'run `cdm auth login`';
    return new AuthError(message, { ...details, hint });
  }
  if (res.status === 404) return new NotFoundError(message, details);
  if (res.status === 409) return new ConflictError(message, details);
  return new BackendError(message, details);
}
