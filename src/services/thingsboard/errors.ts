// ThingsBoard's error body (B.3: `{status, message, errorCode, timestamp}`; the telemetry
// controller answers some 400s in plain text) → typed errors that keep ThingsBoard's words.
import { AuthError, BackendError, ConflictError, NotFoundError, type CdmError } from '../../core/errors.js';
import type { HttpResponse } from '../../http/types.js';

export const SERVICE = 'thingsboard';

export interface TbErrorBody { status?: number; message?: string; errorCode?: number }

export function tbErrorBody(res: HttpResponse): TbErrorBody | undefined {
  try {
    const body = JSON.parse(res.text()) as unknown;
    return body && typeof body === 'object' ? (body as TbErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 401/403 → auth (exit 4); 404 (code 32) → not found (3); 409 (code 35) and a 400 code 31 that
 * says "already" (an alarm acknowledged or cleared twice) → conflict (5); anything else → 1.
 */
export function thingsboardError(res: HttpResponse, what: string): CdmError {
  const body = tbErrorBody(res);
  const words = body?.message ?? (res.text().trim() || `HTTP ${res.status}`);
  const message = `ThingsBoard: ${what}: ${words}`;
  const details = { service: SERVICE, status: res.status };
  if (res.status === 401) {
    return new AuthError(message, { ...details, hint: body?.errorCode === 11 ? 'the ThingsBoard session expired; run the command again' : 'check the context\'s ThingsBoard credential: `cdm auth set-credential thingsboard --username <user>`' });
  }
  if (res.status === 403) return new AuthError(message, { ...details, hint: 'the ThingsBoard user needs the TENANT_ADMIN authority' });
  if (res.status === 404) return new NotFoundError(message, details);
  if (res.status === 409) return new ConflictError(message, details);
  if (res.status === 400 && body?.errorCode === 31 && /already/i.test(words)) return new ConflictError(message, details);
  return new BackendError(message, details);
}
