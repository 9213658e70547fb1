// The whole-command signal (`--timeout`, Ctrl-C) and what its firing means to the caller:
// a timeout is "still pending" (exit 8), a user interrupt stays a CancelError (exit 130).

import { CancelError, CdmError, PendingError } from '../core/errors.js';

export interface AbortContext {
  service: string;
  method: string;
  /** Already redacted. */
  url: string;
  commandTimeoutMs?: number;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest === 0 ? `${m}m` : `${m}m${rest}s`;
}

function isTimeoutReason(reason: unknown): boolean {
  return (
    reason instanceof PendingError ||
    (typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError')
  );
}

/** Turns `signal.reason` into the error the command should end with. */
export function abortError(reason: unknown, ctx: AbortContext): CdmError {
  // The command layer may abort with a ready-made CdmError (CancelError on Ctrl-C, its own
  // PendingError): it already says what happened.
  if (reason instanceof CdmError) return reason;
  const where = `${ctx.service}: ${ctx.method} ${ctx.url}`;
  if (isTimeoutReason(reason)) {
    const after = ctx.commandTimeoutMs === undefined ? '' : ` after ${formatDuration(ctx.commandTimeoutMs)}`;
    return new PendingError(`timed out${after} (${where} was still in progress)`, {
      service: ctx.service,
      hint: 'raise --timeout (CDM_TIMEOUT) if the backend is just slow',
      cause: reason,
    });
  }
  return new CancelError(`cancelled (${where} was in progress)`, { service: ctx.service, cause: reason });
}

/**
 * Sleeps via `sleep` (injectable) but wakes up early, rejecting with `signal.reason`, when the
 * command signal fires: a Retry-After or rate-limit wait never outlives the command.
 */
export function abortableSleep(
  sleep: (ms: number) => Promise<void>,
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  if (signal === undefined) return sleep(ms);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
