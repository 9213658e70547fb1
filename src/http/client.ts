// The HTTP client every service client is built on. This file is only reached through a dynamic
// import by commands that talk to a backend (architecture.md rule 4), so it may load undici —
// which agents.ts does on the first request, not at import.
//
// One attempt loop serves both `request` (buffered body) and `stream` (body handed over): rate
// limit → trace → send → on failure decide retry (retry.ts) → wait (abortable) → again.

import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { BackendError, UsageError } from '../core/errors.js';
import { abortableSleep, abortError, type AbortContext } from './abort.js';
import { sleep as timerSleep } from '../core/sleep.js';
import { AgentPool } from './agents.js';
import { toNetworkError } from './network-error.js';
import { proxySettings, type ProxySettings } from './proxy.js';
import { TokenBucket } from './rate-limit.js';
import { redactText, redactUrl } from './redact.js';
import {
  backoffDelay,
  isIdempotent,
  isRetriableError,
  isRetriableStatus,
  networkErrorCode,
  statusRetryDelay,
} from './retry.js';
import { createTracer, type TraceBody, type Tracer } from './trace.js';
import { INSECURE_WARNING, buildTlsOptions } from './tls.js';
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, StreamResponse } from './types.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_READ_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_REQUESTS_PER_SECOND = 20;
/** The "rate limited, retrying" notice is shown at most this often (balena's rule). */
export const RATE_NOTICE_INTERVAL_MS = 10_000;

interface Prepared {
  url: URL;
  /** Redacted, for traces and error messages. */
  safeUrl: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | Readable | undefined;
  traceBody: TraceBody;
  /** False for streamed bodies: they cannot be sent twice. */
  replayable: boolean;
}

interface Sent {
  res: Dispatcher.ResponseData;
  body?: Buffer;
  attempts: number;
  prepared: Prepared;
}

function prepare(req: HttpRequest, userAgent: string): Prepared {
  let url: URL;
  try {
    url = new URL(String(req.url));
  } catch {
    throw new UsageError(`${req.service}: invalid URL ${redactUrl(String(req.url))}`, { service: req.service });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${req.service}: unsupported URL scheme ${url.protocol} (http or https only)`, {
      service: req.service,
    });
  }
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v !== undefined) url.searchParams.append(k, String(v));
  }

  const headers: Record<string, string> = { 'user-agent': userAgent };
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  // undici ignores URL userinfo; honour it as Basic auth rather than silently dropping it.
  if ((url.username !== '' || url.password !== '') && headers['authorization'] === undefined) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }

  const bodies = [req.json !== undefined, req.form !== undefined, req.body !== undefined].filter(Boolean);
  if (bodies.length > 1) throw new Error('HttpRequest: json, form and body are mutually exclusive');

  let body: Prepared['body'];
  let traceBody: TraceBody = { kind: 'none' };
  let replayable = true;
  if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['content-type'] ??= 'application/json';
  } else if (req.form !== undefined) {
    body = new URLSearchParams(req.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (typeof req.body === 'string') {
    body = req.body;
  } else if (req.body instanceof Uint8Array) {
    body = Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength);
  } else if (req.body !== undefined) {
    body = req.body as Readable;
    replayable = false;
    traceBody = { kind: 'stream' };
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) traceBody = { kind: 'bytes', data: body };

  const path = url.pathname + url.search;
  return { url, safeUrl: redactUrl(url), origin: url.origin, path, headers, body, traceBody, replayable };
}

function jsonOf<T>(req: HttpRequest, p: Prepared, status: number, headers: Dispatcher.ResponseData['headers'], body: Buffer): T {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as T;
  } catch {
    // Not JSON.parse's message: V8 quotes the input, which may contain secrets. A short redacted
    // excerpt is enough to recognise an HTML error page or a proxy's login form.
    const ct = headers['content-type'];
    const excerpt = redactText(text.slice(0, 120)).replace(/\s+/g, ' ').trim();
    const what = text.length === 0 ? 'an empty body' : `malformed JSON (${String(ct ?? 'no content-type')}): "${excerpt}"`;
    throw new BackendError(`${req.service}: ${req.method} ${p.safeUrl} returned ${what} (HTTP ${status})`, {
      service: req.service,
      status,
      hint: 'check the service URL in the context: a proxy or load balancer may be answering instead',
    });
  }
}

// A function, not an inline check: TypeScript would narrow `signal.aborted` across awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function proxyNote(proxy: ProxySettings): string {
  const parts: string[] = [];
  if (proxy.httpsProxy !== '') parts.push(`https via ${redactUrl(proxy.httpsProxy)}`);
  // Like undici (unlike curl), HTTP_PROXY also carries https traffic when HTTPS_PROXY is unset.
  if (proxy.httpProxy !== '') {
    parts.push(`${proxy.httpsProxy === '' ? 'http and https' : 'http'} via ${redactUrl(proxy.httpProxy)}`);
  }
  if (proxy.noProxy !== '') parts.push(`NO_PROXY=${proxy.noProxy}`);
  return `proxy from environment: ${parts.join(', ')}`;
}

export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const readTimeoutMs = opts.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const maxRetries = Math.max(0, opts.maxRetries ?? DEFAULT_MAX_RETRIES);
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const signal = opts.signal;
  const injectedSleep = opts.sleep;
  const sleep = (ms: number, sig?: AbortSignal): Promise<void> =>
    injectedSleep === undefined ? timerSleep(ms, sig) : abortableSleep(injectedSleep, ms, sig);
  const warn = opts.warn ?? ((): void => undefined);
  const tracer: Tracer | undefined = opts.trace === undefined ? undefined : createTracer(opts.trace);
  const userAgent = opts.userAgent ?? 'cdm';

  // Read and validate TLS material now: a bad --ca-file is a usage error before any request.
  const tls = buildTlsOptions(opts, connectTimeoutMs);
  const proxy = proxySettings(opts.env ?? process.env);
  const pool = new AgentPool(proxy === undefined ? { tls, connectTimeoutMs, readTimeoutMs } : { tls, connectTimeoutMs, readTimeoutMs, proxy });

  const rate = opts.rateLimit ?? { requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND };
  const bucket = TokenBucket.unlimited(rate.requestsPerSecond) ? undefined : new TokenBucket({ ...rate, now, sleep });

  let firstRequest = true;
  let lastRateNotice = Number.NEGATIVE_INFINITY;

  function onFirstRequest(): void {
    if (!firstRequest) return;
    firstRequest = false;
    if (opts.insecure === true) warn(INSECURE_WARNING);
    if (proxy !== undefined) tracer?.note(proxyNote(proxy));
  }

  function rateNotice(service: string, delayMs: number): void {
    const t = now();
    if (t - lastRateNotice < RATE_NOTICE_INTERVAL_MS) return;
    lastRateNotice = t;
    warn(`${service} is rate limiting requests (HTTP 429); retrying in ${(delayMs / 1000).toFixed(1)}s`);
  }

  /** Waits, turning a command abort during the wait into PendingError / CancelError. */
  async function wait(ms: number, ctx: AbortContext): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch (err) {
      if (isAborted(signal)) throw abortError(signal?.reason, ctx);
      throw err;
    }
  }

  let closed = false;

  async function send(req: HttpRequest, buffered: boolean): Promise<Sent> {
    // A programming error, not a network condition: keep it out of NetworkError.
    if (closed) throw new Error('HTTP client already closed');
    const p = prepare(req, userAgent);
    const ctx: AbortContext = { service: req.service, method: req.method, url: p.safeUrl };
    if (opts.commandTimeoutMs !== undefined) ctx.commandTimeoutMs = opts.commandTimeoutMs;
    if (isAborted(signal)) throw abortError(signal?.reason, ctx);

    const idempotent = isIdempotent(req.method, req.idempotent);
    const maxAttempts = p.replayable ? maxRetries + 1 : 1;
    const timeout = req.timeoutMs ?? readTimeoutMs;

    for (let attempt = 1; ; attempt++) {
      if (bucket !== undefined) {
        try {
          const waited = await bucket.acquire(signal);
          if (waited > 0) tracer?.note(`client rate limit: waited ${waited} ms`);
        } catch (err) {
          if (isAborted(signal)) throw abortError(signal?.reason, ctx);
          throw err;
        }
      }
      onFirstRequest();
      tracer?.request({
        service: req.service,
        method: req.method,
        url: p.url,
        headers: p.headers,
        body: p.traceBody,
        attempt,
        maxAttempts,
      });

      const started = performance.now();
      let res: Dispatcher.ResponseData;
      let body: Buffer | undefined;
      try {
        res = await pool.request(p.origin, {
          method: req.method,
          path: p.path,
          headers: p.headers,
          body: p.body ?? null,
          signal: signal ?? null,
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
        if (buffered) {
          body = Buffer.from(await res.body.arrayBuffer());
          // undici frees a keep-alive socket one event-loop turn after the body ends (it checks
          // that the server did not close it meanwhile). Yield that turn, or a caller's next
          // sequential request would find the socket busy and open (and TLS-handshake) another.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } catch (err) {
        if (isAborted(signal)) throw abortError(signal?.reason, ctx);
        const code = networkErrorCode(err);
        // undici rejecting our arguments is a bug here, not a network condition.
        if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') throw err;
        // TLS material OpenSSL refused, found when the first HTTPS origin needed it: exit 2, no retry.
        if (err instanceof UsageError) throw err;
        tracer?.note(`${req.method} ${p.safeUrl} failed: ${code ?? (err as Error).message}`);
        if (attempt >= maxAttempts || !isRetriableError(code, idempotent)) {
          throw toNetworkError({
            err,
            code,
            service: req.service,
            method: req.method,
            url: p.safeUrl,
            host: p.url.host,
            attempts: attempt,
            connectTimeoutMs,
            readTimeoutMs: timeout,
          });
        }
        const delay = backoffDelay(attempt - 1, random);
        tracer?.note(`retrying in ${delay} ms`);
        await wait(delay, ctx);
        continue;
      }

      tracer?.response({
        status: res.statusCode,
        headers: res.headers,
        elapsedMs: performance.now() - started,
        body: buffered ? body : 'stream',
      });

      if (attempt < maxAttempts && isRetriableStatus(res.statusCode, idempotent)) {
        const decision = statusRetryDelay({
          status: res.statusCode,
          retryAfter: res.headers['retry-after'],
          retry: attempt - 1,
          now: now(),
          random,
          ...(opts.deadline === undefined ? {} : { deadline: opts.deadline }),
        });
        if (decision.retry) {
          // Free the connection for reuse before waiting.
          if (!buffered) await res.body.dump().catch(() => undefined);
          if (res.statusCode === 429) rateNotice(req.service, decision.delayMs);
          tracer?.note(`HTTP ${res.statusCode}: retrying in ${decision.delayMs} ms`);
          await wait(decision.delayMs, ctx);
          continue;
        }
      }
      return body === undefined ? { res, attempts: attempt, prepared: p } : { res, body, attempts: attempt, prepared: p };
    }
  }

  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const { res, body = Buffer.alloc(0), attempts, prepared } = await send(req, true);
      return {
        status: res.statusCode,
        headers: res.headers,
        body,
        url: prepared.safeUrl,
        attempts,
        text: () => body.toString('utf8'),
        json: <T = unknown>(): T => jsonOf<T>(req, prepared, res.statusCode, res.headers, body),
      };
    },

    async stream(req: HttpRequest): Promise<StreamResponse> {
      const { res, attempts, prepared } = await send(req, false);
      return {
        status: res.statusCode,
        headers: res.headers,
        body: res.body as unknown as StreamResponse['body'],
        url: prepared.safeUrl,
        attempts,
      };
    },

    close(): Promise<void> {
      closed = true;
      return pool.close();
    },
  };
}
