import { describe, expect, it } from 'vitest';
import {
  BACKOFF_CAP_MS,
  backoffDelay,
  isIdempotent,
  isRetriableError,
  isRetriableStatus,
  networkErrorCode,
  parseRetryAfter,
  statusRetryDelay,
} from '../../../src/http/retry.js';

describe('idempotency', () => {
  it('treats GET, HEAD, PUT and DELETE as idempotent, POST and PATCH not, with an override', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE'].map((m) => isIdempotent(m as 'GET'))).toEqual([true, true, true, true]);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('PATCH')).toBe(false);
    expect(isIdempotent('POST', true)).toBe(true);
    expect(isIdempotent('GET', false)).toBe(false);
  });
});

describe('which failures are retried', () => {
  it('retries transient network failures for idempotent calls', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'EPIPE', 'EAI_AGAIN']) {
      expect(isRetriableError(code, true), code).toBe(true);
    }
    for (const code of ['ENOTFOUND', 'CERT_HAS_EXPIRED', 'SELF_SIGNED_CERT_IN_CHAIN', undefined]) {
      expect(isRetriableError(code, true), String(code)).toBe(false);
    }
  });

  it('retries a POST only when the request cannot have reached the server', () => {
    expect(isRetriableError('ECONNREFUSED', false)).toBe(true);
    expect(isRetriableError('UND_ERR_CONNECT_TIMEOUT', false)).toBe(true);
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'EPIPE']) {
      expect(isRetriableError(code, false), code).toBe(false);
    }
  });

  it('retries 429 and 502-504 for idempotent calls only', () => {
    expect([429, 502, 503, 504].every((s) => isRetriableStatus(s, true))).toBe(true);
    expect([400, 401, 404, 409, 500, 501].some((s) => isRetriableStatus(s, true))).toBe(false);
    expect(isRetriableStatus(503, false)).toBe(false);
    expect(isRetriableStatus(429, false)).toBe(false);
  });
});

describe('networkErrorCode', () => {
  it('finds the code on the error, its cause, or an AggregateError member', () => {
    expect(networkErrorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    const wrapped = Object.assign(new Error('other side closed'), {
      code: 'UND_ERR_SOCKET',
      cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    });
    expect(networkErrorCode(wrapped)).toBe('ECONNRESET');
    const agg = new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })], 'connect');
    expect(networkErrorCode(agg)).toBe('ECONNREFUSED');
    expect(networkErrorCode(Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(networkErrorCode(new Error('plain'))).toBeUndefined();
  });
});

describe('backoff', () => {
  it('is full jitter: random × min(cap, base·2ⁿ)', () => {
    expect(backoffDelay(0, () => 0.999)).toBe(249);
    expect(backoffDelay(3, () => 0.5)).toBe(1000);
    expect(backoffDelay(20, () => 0.5)).toBe(BACKOFF_CAP_MS / 2);
    expect(backoffDelay(2, () => 0)).toBe(0);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2030, 5, 1, 8, 0, 0);

  it('parses delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(parseRetryAfter(new Date(now - 5000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000);
  });

  it('ignores absent or garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });

  it('is used on 429 and 503 only, capped at 60 s and by the deadline', () => {
    const base = { retry: 0, now, random: () => 0.5 };
    expect(statusRetryDelay({ ...base, status: 429, retryAfter: '4' })).toEqual({ retry: true, delayMs: 4000, retryAfterMs: 4000 });
    expect(statusRetryDelay({ ...base, status: 502, retryAfter: '4' })).toEqual({ retry: true, delayMs: 125 });
    expect(statusRetryDelay({ ...base, status: 503, retryAfter: '60' })).toEqual({ retry: true, delayMs: 60_000, retryAfterMs: 60_000 });
    expect(statusRetryDelay({ ...base, status: 503, retryAfter: '61' })).toEqual({ retry: false });
    expect(statusRetryDelay({ ...base, status: 429, retryAfter: '10', deadline: now + 5000 })).toEqual({ retry: false });
    expect(statusRetryDelay({ ...base, status: 429, retryAfter: '2', deadline: now + 5000 }).retry).toBe(true);
  });
});
