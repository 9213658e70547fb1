// RabbitMQ's management API answers errors as `{"error": "...", "reason": "..."}` (reason is a
// string, or an object for validation errors); 201/204 carry no body. This turns a failed reply into
// a typed error that keeps the broker's own words, the service name and the HTTP status.
import { AuthError, BackendError, ConflictError, NotFoundError, UsageError, type CdmError } from '../../core/errors.js';
import type { HttpResponse } from '../../http/types.js';

export interface RabbitErrorBody {
  error?: string;
  reason?: unknown;
}

export function rabbitMessage(res: HttpResponse): string {
  let body: RabbitErrorBody | undefined;
  try {
    body = JSON.parse(res.text()) as RabbitErrorBody;
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== 'object') return `HTTP ${res.status}`;
  const reason = typeof body.reason === 'string' ? body.reason : body.reason === undefined ? '' : JSON.stringify(body.reason);
  if (body.error && reason) return `${body.error}: ${reason}`;
  return body.error ?? (reason || `HTTP ${res.status}`);
}

export function rabbitError(res: HttpResponse, what: string): CdmError {
  const message = `${what}: ${rabbitMessage(res)}`;
  const details = { service: 'rabbitmq', status: res.status };
  if (res.status === 401 || res.status === 403) return new AuthError(message, { ...details, hint: 'check the RabbitMQ administrator credentials (cdm auth set-credential rabbitmq)' });
  if (res.status === 404) return new NotFoundError(message, details);
  if (res.status === 409) return new ConflictError(message, details);
  if (res.status === 400) return new UsageError(message, details);
  return new BackendError(message, details);
}
