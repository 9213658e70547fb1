// Retry policy: WHAT may be retried and HOW LONG to wait. Pure functions, no I/O.
//
// Rules (architecture.md rule 6, "never blind-retry POST"):
// - Idempotent calls (GET, HEAD, PUT, DELETE, or `idempotent: true`) are retried on connection
//   failures, read timeouts, 502/503/504 and 429.
// - A non-idempotent call (POST, PATCH) is retried ONLY when the failure proves no byte of the
//   request reached the server: connection refused, connect timeout, temporary DNS failure. Any
//   later failure (reset, "other side closed", read timeout) and any response status, including
//   429 and 503, is final: the server may already have acted (enrolled a device, signed a cert).
// - A request whose body is a stream is never retried: the stream cannot be replayed.

import type { HttpMethod } from './types.js';

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);
/** Statuses whose Retry-After header we honour. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Backoff base and cap for full jitter: attempt n waits random(0, min(cap, base·2ⁿ)). */
export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 8_000;
/** A Retry-After longer than this is not waited for: the response goes back to the caller. */
export const RETRY_AFTER_CAP_MS = 60_000;

/** Failures before the request was written: safe to retry even for POST. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN']);

/** Transient failures worth retrying for idempotent calls. */
const TRANSIENT_CODES = new Set([
  ...NOT_SENT_CODES,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_SOCKET', // "other side closed": a keep-alive socket the server dropped
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function isIdempotent(method: HttpMethod, override?: boolean): boolean {
  return override ?? IDEMPOTENT_METHODS.has(method);
}

/**
 * The most specific error code of a network failure. undici wraps Node errors (`cause`), and
 * Node's happy-eyeballs connect reports an AggregateError whose members carry the code.
 */
export function networkErrorCode(err: unknown): string | undefined {
  const codes: string[] = [];
  const walk = (e: unknown, depth: number): void => {
    if (depth > 5 || typeof e !== 'object' || e === null) return;
    const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    walk(cause, depth + 1);
    if (Array.isArray(errors)) for (const inner of errors) walk(inner, depth + 1);
  };
  walk(err, 0);
  // A Node socket code (ECONNRESET) says more than undici's generic wrapper (UND_ERR_SOCKET).
  return codes.find((c) => !c.startsWith('UND_ERR_')) ?? codes[0];
}

/** Whether a thrown network error may be retried for this kind of call. */
export function isRetriableError(code: string | undefined, idempotent: boolean): boolean {
  if (code === undefined) return false;
  return idempotent ? TRANSIENT_CODES.has(code) : NOT_SENT_CODES.has(code);
}

/** Whether a response status may be retried (only ever for idempotent calls). */
export function isRetriableStatus(status: number, idempotent: boolean): boolean {
  return idempotent && RETRY_STATUSES.has(status);
}

/** Full-jitter exponential backoff for retry number `retry` (0 for the first retry). */
export function backoffDelay(retry: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Parses Retry-After (delta-seconds or an HTTP date) into ms from `now`; undefined when absent or
 * unparseable, 0 for a date in the past.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (v === undefined || v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // HTTP dates (IMF-fixdate and the two obsolete forms) start with a day name; Date.parse alone
  // would accept "-1" or "2" as years.
  if (!/^[A-Za-z]{3}/.test(v)) return undefined;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export type RetryDecision = { retry: true; delayMs: number; retryAfterMs?: number } | { retry: false };

/**
 * Delay before retrying a retriable status: Retry-After on 429/503 when present, backoff
 * otherwise. Declines when Retry-After exceeds the cap or would outlast the command deadline:
 * then the caller gets the 429/503 itself, which says more than a timeout would.
 */
export function statusRetryDelay(p: {
  status: number;
  retryAfter: string | string[] | undefined;
  retry: number;
  now: number;
  random: () => number;
  deadline?: number;
}): RetryDecision {
  const retryAfterMs = RETRY_AFTER_STATUSES.has(p.status) ? parseRetryAfter(p.retryAfter, p.now) : undefined;
  const delayMs = retryAfterMs ?? backoffDelay(p.retry, p.random);
  if (retryAfterMs !== undefined && retryAfterMs > RETRY_AFTER_CAP_MS) return { retry: false };
  if (p.deadline !== undefined && p.now + delayMs >= p.deadline) return { retry: false };
  return retryAfterMs === undefined ? { retry: true, delayMs } : { retry: true, delayMs, retryAfterMs };
}
