// hawkBit answers errors with an `ExceptionInfo` body ({exceptionClass, errorCode, message, info});
// 401 comes from Spring Security without one, 429 from the DoS filter without one. This maps a
// failed reply to a typed error keeping hawkBit's own words, the service and the HTTP status, and
// exposes the errorCode so callers can tell refusals apart (e.g. an old server refusing `PAUSE`).
import { AuthError, BackendError, ConflictError, NotFoundError, UsageError, type CdmError } from '../../core/errors.js';
import type { HttpResponse } from '../../http/types.js';

export const SERVICE = 'hawkbit';

export interface ExceptionInfo {
  exceptionClass?: string;
  errorCode?: string;
  message?: string;
  info?: Record<string, unknown>;
}

export function exceptionInfo(res: HttpResponse): ExceptionInfo | undefined {
  try {
    const body = JSON.parse(res.text()) as unknown;
    return body && typeof body === 'object' ? (body as ExceptionInfo) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The error key, lower-cased and with ≤0.6's misspellings (`entitiy…`, `alreay…`) normalised, so
 * one comparison works against every version (reference A.2 recommends exactly this).
 */
export function errorKey(res: HttpResponse): string {
  return (exceptionInfo(res)?.errorCode ?? '').toLowerCase().replace('entitiy', 'entity').replace('alreay', 'already');
}

/** The normalised errorCode hawkBit gave with an error this module made (see errorKey). */
const codes = new WeakMap<CdmError, string>();

export function hawkbitErrorKey(err: unknown): string | undefined {
  return err && typeof err === 'object' ? codes.get(err as CdmError) : undefined;
}

/** The error subclass for a refusal; `what` says what cdm was doing ("create rollout fw-1"). */
export function hawkbitError(res: HttpResponse, what: string, hint?: string): CdmError {
  const err = typedError(res, what, hint);
  codes.set(err, errorKey(res));
  return err;
}

function typedError(res: HttpResponse, what: string, hint?: string): CdmError {
  const body = exceptionInfo(res);
  const words = body?.message ? `${body.message}${body.errorCode ? ` (${body.errorCode})` : ''}` : `HTTP ${res.status}`;
  const message = `${what}: ${words}`;
  const details = { service: SERVICE, status: res.status, ...(hint ? { hint } : {}) };
  const key = errorKey(res);
  if (res.status === 401) return new AuthError(message, { ...details, hint: hint ?? 'check the hawkBit user and password (cdm auth set-credential hawkbit)' });
  if (res.status === 403) return new AuthError(message, { ...details, hint: hint ?? 'the hawkBit user lacks a permission for this' });
  if (res.status === 404 || res.status === 410) return new NotFoundError(message, details);
  // Illegal rollout transitions are 400 on the wire but are a precondition refused, not bad input.
  if (key.includes('illegalstate') || key.includes('notcancelable') || key.includes('notforcequitable')) return new ConflictError(message, details);
  if (res.status === 409 || res.status === 405 || res.status === 423) return new ConflictError(message, details);
  if (res.status === 400) return new UsageError(message, details);
  return new BackendError(message, details);
}
