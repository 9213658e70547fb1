// Typed errors and the one table that maps them to exit codes (commands.md §4).
// Every layer throws one of these; only src/main.ts turns them into an exit status.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  auth: 4,
  conflict: 5,
  partial: 6,
  threshold: 7,
  pending: 8,
  interrupted: 130,
} as const;

export interface ErrorDetails {
  /** Short hint telling the user what to do next. */
  hint?: string;
  /** Backend service the error came from (`keycloak`, `step-ca`, `hawkbit`, …). */
  service?: string;
  /** HTTP status returned by the backend. */
  status?: number;
  cause?: unknown;
}

export class CdmError extends Error {
  readonly exitCode: number = ExitCode.failure;
  readonly code: string = 'failure';
  readonly hint?: string;
  readonly service?: string;
  readonly status?: number;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    if (details.hint !== undefined) this.hint = details.hint;
    if (details.service !== undefined) this.service = details.service;
    if (details.status !== undefined) this.status = details.status;
  }
}

/** Bad input: nothing was sent to any server. */
export class UsageError extends CdmError {
  override readonly exitCode = ExitCode.usage;
  override readonly code = 'usage';
}
export class NotFoundError extends CdmError {
  override readonly exitCode = ExitCode.notFound;
  override readonly code = 'not_found';
}
export class AuthError extends CdmError {
  override readonly exitCode = ExitCode.auth;
  override readonly code = 'auth';
}
export class ConflictError extends CdmError {
  override readonly exitCode = ExitCode.conflict;
  override readonly code = 'conflict';
}
export class PartialFailure extends CdmError {
  override readonly exitCode = ExitCode.partial;
  override readonly code = 'partial_failure';
}
export class ThresholdBreached extends CdmError {
  override readonly exitCode = ExitCode.threshold;
  override readonly code = 'threshold_breached';
}
/** Timed out (`--timeout`) or still pending (`--wait`). */
export class PendingError extends CdmError {
  override readonly exitCode = ExitCode.pending;
  override readonly code = 'timeout';
}
export class CancelError extends CdmError {
  override readonly exitCode = ExitCode.interrupted;
  override readonly code = 'interrupted';
}
/** A backend answered with an error we have no more specific type for. */
export class BackendError extends CdmError {
  override readonly code = 'backend';
}
/** The network failed (refused, reset, DNS, TLS). */
export class NetworkError extends CdmError {
  override readonly code = 'network';
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof CdmError) return err.exitCode;
  return ExitCode.failure;
}

export interface ErrorBody {
  code: string;
  message: string;
  service?: string;
  status?: number;
  hint?: string;
}

export function errorBody(err: unknown): ErrorBody {
  if (err instanceof CdmError) {
    const body: ErrorBody = { code: err.code, message: err.message };
    if (err.service !== undefined) body.service = err.service;
    if (err.status !== undefined) body.status = err.status;
    if (err.hint !== undefined) body.hint = err.hint;
    return body;
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
