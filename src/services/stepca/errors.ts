// step-ca answers errors as {"status": <int>, "message": "<text>"} (errs/error.go); the real
// reason is only in the CA's log, so the message is kept verbatim and the status decides the
// type: 401/403 → AuthError (4), 404 → NotFoundError (3), "already revoked" → ConflictError (5),
// anything else → BackendError (1). step-ca also answers its certificate policy with 403 (validity
// bounds, the names and key a CSR may carry): that is a refused precondition (5), which logging in
// again would not change. Every error keeps service 'step-ca' and the HTTP status.
import { AuthError, BackendError, ConflictError, NotFoundError, type CdmError } from '../../core/errors.js';
import type { HttpResponse } from '../../http/types.js';

export const SERVICE = 'step-ca';

export interface StepCaErrorBody {
  status?: number;
  message?: string;
}

export function stepcaMessage(res: Pick<HttpResponse, 'status' | 'text'>): string {
  const text = res.text();
  try {
    const body = JSON.parse(text) as StepCaErrorBody;
    if (body && typeof body.message === 'string' && body.message !== '') return body.message;
  } catch {
    // Unknown routes answer Go's plain-text "404 page not found".
  }
  const plain = text.trim();
  return plain !== '' && plain.length < 200 ? plain : `HTTP ${res.status}`;
}

/** 403 messages of step-ca's certificate validators (authority/provisioner), not of its token checks. */
const POLICY = /requested duration of|certificate request does not contain the valid|certificate request RSA key must be/;

export function stepcaError(res: Pick<HttpResponse, 'status' | 'text'>, what: string, hint?: string): CdmError {
  const message = `${what}: ${stepcaMessage(res)}`;
  const details = { service: SERVICE, status: res.status, ...(hint ? { hint } : {}) };
  if (res.status === 403 && POLICY.test(message)) {
    const bounds = /requested duration of/.test(message) ? { hint: hint ?? 'ask for a validity within the provisioner\'s bounds (--not-after)' } : {};
    return new ConflictError(message, { ...details, ...bounds });
  }
  if (res.status === 401 || res.status === 403) return new AuthError(message, details);
  if (res.status === 404) return new NotFoundError(message, details);
  if (res.status === 409 || (res.status === 400 && /already revoked/i.test(message))) return new ConflictError(message, details);
  return new BackendError(message, details);
}
