// Public contract of the HTTP core. Types only: this file is imported by code on the CLI startup
// path (service clients' signatures, the factory), so it must never pull in undici.

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type HttpHeaders = Record<string, string | string[] | undefined>;

export interface HttpRequest {
  /** Backend name used in errors and traces (`keycloak`, `step-ca`, `hawkbit`, …). */
  service: string;
  method: HttpMethod;
  url: string | URL;
  headers?: Record<string, string>;
  /** Merged into the URL's query string; `undefined` values are skipped. */
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialised with JSON.stringify; sets `content-type: application/json` unless given. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded (OIDC token endpoints). */
  form?: Record<string, string>;
  /** Raw body. A stream is sent as it is read, so a request carrying one is never retried. */
  body?: string | Uint8Array | NodeJS.ReadableStream;
  /**
   * Overrides the method's idempotency: `true` for POSTs the backend makes idempotent (so they are
   * retried like a PUT), `false` to forbid retries of a GET with side effects.
   */
  idempotent?: boolean;
  /** Read timeout (headers and gaps between body chunks) for this call, instead of the client's. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: HttpHeaders;
  body: Buffer;
  /** The URL requested, query secrets redacted: safe to put in error messages. */
  url: string;
  /** How many attempts it took (1 when nothing was retried). */
  attempts: number;
  text(): string;
  /** Parses the body; throws a BackendError naming service, method and URL on malformed JSON. */
  json<T = unknown>(): T;
}

export interface StreamResponse {
  status: number;
  headers: HttpHeaders;
  /** Consume it fully (or destroy it) so the connection returns to the pool. */
  body: AsyncIterable<Buffer> & NodeJS.ReadableStream;
  /** The URL requested, query secrets redacted. */
  url: string;
  attempts: number;
}

export interface HttpClient {
  /** Sends a request and buffers the whole response body. */
  request(req: HttpRequest): Promise<HttpResponse>;
  /** Sends a request and hands back the body as a stream (large listings, exports, downloads). */
  stream(req: HttpRequest): Promise<StreamResponse>;
  /** Closes every pooled connection. The client cannot be used afterwards. */
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /**
   * Path of a PEM bundle (`--ca-file`, `CDM_CA_FILE`, the context's CA bundle). Its certificates
   * are trusted IN ADDITION to Node's default roots (and NODE_EXTRA_CA_CERTS): a private step-ca
   * root must not make public endpoints such as a SaaS Keycloak fail verification.
   */
  caFile?: string;
  /** PEM text of extra trusted certificates, same semantics as `caFile`. */
  ca?: string;
  /** mTLS client certificate and key, both PEM text (not paths). */
  clientCert?: { cert: string; key: string };
  /** Disables TLS verification; a loud warning is emitted once per client through `warn`. */
  insecure?: boolean;
  /** TCP + TLS handshake timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time allowed for response headers and between body chunks. Default 30 s. */
  readTimeoutMs?: number;
  /** Retries after the first attempt, for retriable calls only. Default 3. */
  maxRetries?: number;
  /**
   * Client-side token bucket shared by every request of this client. Default 20 requests/s with a
   * burst of the same size. `requestsPerSecond: Infinity` (or <= 0) disables it.
   */
  rateLimit?: { requestsPerSecond: number; burst?: number };
  /** Whole-command bound (`--timeout`) and Ctrl-C. */
  signal?: AbortSignal;
  /** The `--timeout` value, only used to word the PendingError ("timed out after 30s"). */
  commandTimeoutMs?: number;
  /**
   * Epoch ms (on the `now` clock) when `signal` will fire for a timeout. When a Retry-After would
   * outlast it, the response is returned at once instead of waiting to be killed.
   */
  deadline?: number;
  /** Set when --verbose: receives redacted trace lines. */
  trace?: (line: string) => void;
  /** Receives user-facing warnings (insecure TLS, rate limited). */
  warn?: (line: string) => void;
  userAgent?: string;
  /** Environment read for HTTPS_PROXY / HTTP_PROXY / NO_PROXY (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests; full-jitter backoff draws from it. */
  random?: () => number;
  /** Injectable clock (epoch ms) for the rate limiter, Retry-After dates and the notice throttle. */
  now?: () => number;
}
