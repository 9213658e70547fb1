// Error replies in the shapes a FastAPI app answers with: HTTPException → {"detail": "<text>"},
// request validation → 422 {"detail": [{type, loc, msg, input, ctx?}]} (pydantic v2), and an
// uncaught exception → plain-text 500 "Internal Server Error" (Starlette's ServerErrorMiddleware).
export interface ValidationIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** An HTTPException: the status and the `detail` string the upstream bridge raises. */
export class BridgeError extends Error {
  constructor(readonly status: number, readonly detail: string | ValidationIssue[], readonly headers: Record<string, string> = {}) {
    super(typeof detail === 'string' ? detail : 'validation error');
  }
}

/** admin_portal.py routes do not raise: they return {"error": "<text>"} with the status. */
export class PortalError extends Error {
  constructor(readonly status: number, readonly error: string) {
    super(error);
  }
}

/** Uncaught in upstream (e.g. WireGuardError on subnet exhaustion): Starlette's plain 500. */
export class InternalError extends Error {}

export const httpError = (status: number, detail: string): BridgeError => new BridgeError(status, detail);

export const invalid = (issues: ValidationIssue[]): BridgeError => new BridgeError(422, issues);

/** A backend answered with a non-2xx status. */
export class BackendError extends Error {
  constructor(readonly service: string, readonly status: number, message: string) {
    super(message);
  }
}

/** A backend could not be reached (connection refused, reset, timeout). */
export class UnreachableError extends Error {
  constructor(readonly service: string, message: string) {
    super(message);
  }
}
