import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/http/client.js';
import type { HttpClient, HttpClientOptions } from '../../../src/http/types.js';
import { BackendError, CancelError, ExitCode, NetworkError, PendingError } from '../../../src/core/errors.js';
import { freePort, recordingSleep, startServer, type Loopback } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function server(handler: Parameters<typeof startServer>[0]): Promise<Loopback> {
  const s = await startServer(handler);
  cleanups.push(() => s.close());
  return s;
}

function client(opts: HttpClientOptions = {}): HttpClient {
  const c = createHttpClient({ env: {}, ...opts });
  cleanups.push(() => c.close());
  return c;
}

function json(res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('request basics', () => {
  it('reuses one keep-alive socket for consecutive calls to an origin', async () => {
    const s = await server((_req, res) => json(res, 200, { ok: true }));
    const c = client();
    await c.request({ service: 'hawkbit', method: 'GET', url: `${s.url}/a` });
    await c.request({ service: 'hawkbit', method: 'GET', url: `${s.url}/b` });
    expect(s.requests).toHaveLength(2);
    expect(s.requests[0]?.remotePort).toBe(s.requests[1]?.remotePort);
  });

  it('sends JSON and form bodies, merges query parameters and parses JSON', async () => {
    const s = await server((req, res, _n, body) => json(res, 200, { method: req.method, body }));
    const c = client({ userAgent: 'cdm/9.9.9' });
    const r = await c.request({
      service: 'bridge',
      method: 'POST',
      url: `${s.url}/tenants?x=1`,
      query: { limit: 50, all: true, skip: undefined },
      json: { name: 'acme' },
    });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ method: 'POST', body: '{"name":"acme"}' });
    expect(s.requests[0]?.url).toBe('/tenants?x=1&limit=50&all=true');
    expect(s.requests[0]?.headers['content-type']).toBe('application/json');
    expect(s.requests[0]?.headers['user-agent']).toBe('cdm/9.9.9');

    await c.request({ service: 'keycloak', method: 'POST', url: `${s.url}/token`, form: { grant_type: 'password', username: 'a b' } });
    expect(s.requests[1]?.body).toBe('grant_type=password&username=a+b');
    expect(s.requests[1]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('answers HEAD with an empty body and returns non-2xx responses as they are', async () => {
    const s = await server((req, res) => (req.method === 'HEAD' ? json(res, 200, {}) : json(res, 404, { error: 'nope' })));
    const c = client();
    const head = await c.request({ service: 'x', method: 'HEAD', url: s.url });
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
    const missing = await c.request({ service: 'x', method: 'GET', url: `${s.url}/missing` });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: 'nope' });
  });

  it('names service and URL, and leaks no secret, when a body is not JSON', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login password=hunter2</html>');
    });
    const c = client();
    const r = await c.request({ service: 'thingsboard', method: 'GET', url: `${s.url}/api/devices?token=abc123` });
    const err = (() => {
      try {
        r.json();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(BackendError);
    const msg = (err as Error).message;
    expect(msg).toContain('thingsboard');
    expect(msg).toContain('/api/devices?token=[REDACTED]');
    expect(msg).toContain('text/html');
    expect(msg).not.toContain('hunter2');
    expect(msg).not.toContain('abc123');
  });

  it('streams a response body and sends a streamed request body', async () => {
    const s = await server((_req, res, _n, body) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      for (let i = 0; i < 3; i++) res.write(`{"i":${i},"len":${body.length}}\n`);
      res.end();
    });
    const c = client();
    const r = await c.stream({
      service: 'hawkbit',
      method: 'PUT',
      url: `${s.url}/upload`,
      body: Readable.from([Buffer.from('abc'), Buffer.from('def')]),
    });
    let text = '';
    for await (const chunk of r.body) text += chunk.toString('utf8');
    expect(text.trim().split('\n')).toEqual(['{"i":0,"len":6}', '{"i":1,"len":6}', '{"i":2,"len":6}']);
    expect(s.requests[0]?.body).toBe('abcdef');
  });

  it('refuses use after close()', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const c = createHttpClient({ env: {} });
    await c.request({ service: 'x', method: 'GET', url: s.url });
    await c.close();
    await expect(c.request({ service: 'x', method: 'GET', url: s.url })).rejects.toThrow(/closed/);
  });
});

describe('retries', () => {
  it('retries a GET after 503 with full-jitter backoff, then succeeds', async () => {
    const s = await server((_req, res, n) => (n === 1 ? json(res, 503, { error: 'busy' }) : json(res, 200, { ok: true })));
    const { sleep, delays } = recordingSleep();
    const c = client({ sleep, random: () => 0.5 });
    const r = await c.request({ service: 'hawkbit', method: 'GET', url: s.url });
    expect(r.status).toBe(200);
    expect(r.attempts).toBe(2);
    expect(delays).toEqual([125]); // random 0.5 × min(8 s, 250 ms × 2⁰)
  });

  it('honours Retry-After in seconds (503) and as an HTTP date (429)', async () => {
    const t0 = Date.UTC(2030, 0, 1, 12, 0, 0);
    const s = await server((_req, res, n) => {
      if (n === 1) json(res, 503, {}, { 'retry-after': '2' });
      else if (n === 2) json(res, 429, {}, { 'retry-after': new Date(t0 + 5000).toUTCString() });
      else json(res, 200, { ok: true });
    });
    const { sleep, delays } = recordingSleep();
    const c = client({ sleep, now: () => t0, random: () => 0.99 });
    const r = await c.request({ service: 'thingsboard', method: 'GET', url: s.url });
    expect(r.status).toBe(200);
    expect(delays).toEqual([2000, 5000]);
  });

  it('returns the 429 after the last attempt and shows the rate-limit notice at most once per 10 s', async () => {
    const s = await server((_req, res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '1' }));
    let clock = 1_000_000;
    const delays: number[] = [];
    const warnings: string[] = [];
    const c = client({
      now: () => clock,
      sleep: (ms) => {
        delays.push(ms);
        clock += ms;
        return Promise.resolve();
      },
      warn: (l) => warnings.push(l),
      rateLimit: { requestsPerSecond: Infinity },
    });
    const r = await c.request({ service: 'hawkbit', method: 'GET', url: s.url });
    expect(r.status).toBe(429);
    expect(r.attempts).toBe(4);
    expect(r.json()).toEqual({ message: 'slow down' });
    expect(s.requests).toHaveLength(4);
    expect(delays).toEqual([1000, 1000, 1000]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/hawkbit is rate limiting requests \(HTTP 429\); retrying in 1\.0s/);

    clock += 10_000;
    await c.request({ service: 'hawkbit', method: 'GET', url: s.url });
    expect(warnings).toHaveLength(2);
  });

  it('returns a 503 at once when Retry-After exceeds the 60 s cap or the command deadline', async () => {
    const s = await server((_req, res, n) => json(res, 503, {}, { 'retry-after': n === 1 ? '120' : '5' }));
    const { sleep, delays } = recordingSleep();
    const t0 = 5_000_000;
    const c = client({ sleep, now: () => t0, deadline: t0 + 3000 });
    expect((await c.request({ service: 'x', method: 'GET', url: s.url })).status).toBe(503);
    expect((await c.request({ service: 'x', method: 'GET', url: s.url })).status).toBe(503);
    expect(s.requests).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it('never retries a POST on a retriable status', async () => {
    const s = await server((_req, res) => json(res, 503, {}, { 'retry-after': '1' }));
    const { sleep, delays } = recordingSleep();
    const c = client({ sleep });
    const r = await c.request({ service: 'bridge', method: 'POST', url: s.url, json: { enroll: 'dev-1' } });
    expect(r.status).toBe(503);
    expect(s.requests).toHaveLength(1);
    expect(delays).toEqual([]);
    const patch = await c.request({ service: 'bridge', method: 'PATCH', url: s.url, json: {} });
    expect(patch.status).toBe(503);
    expect(s.requests).toHaveLength(2);
  });

  it('retries a POST the backend makes idempotent (idempotent: true)', async () => {
    const s = await server((_req, res, n) => (n < 3 ? json(res, 502, {}) : json(res, 201, { id: 1 })));
    const { sleep, delays } = recordingSleep();
    const c = client({ sleep, random: () => 0 });
    const r = await c.request({ service: 'step-ca', method: 'POST', url: s.url, json: { x: 1 }, idempotent: true });
    expect(r.status).toBe(201);
    expect(s.requests).toHaveLength(3);
    expect(s.requests.every((q) => q.body === '{"x":1}')).toBe(true);
    expect(delays).toHaveLength(2);
  });

  it('does not retry a GET marked idempotent: false', async () => {
    const s = await server((_req, res) => json(res, 503, {}));
    const c = client({ sleep: recordingSleep().sleep });
    expect((await c.request({ service: 'x', method: 'GET', url: s.url, idempotent: false })).status).toBe(503);
    expect(s.requests).toHaveLength(1);
  });

  it('retries a GET whose connection is reset, but not a POST', async () => {
    const s = await server((req, res, n) => {
      if (n === 1 || req.url === '/post') req.socket.destroy();
      else json(res, 200, { ok: true });
    });
    const { sleep, delays } = recordingSleep();
    const c = client({ sleep });
    const r = await c.request({ service: 'hawkbit', method: 'GET', url: `${s.url}/get` });
    expect(r.status).toBe(200);
    expect(r.attempts).toBe(2);
    expect(delays).toHaveLength(1);

    const err = await rejection(c.request({ service: 'hawkbit', method: 'POST', url: `${s.url}/post`, json: {} }));
    expect(err).toBeInstanceOf(NetworkError);
    expect(s.requests.filter((q) => q.url === '/post')).toHaveLength(1);
    expect(delays).toHaveLength(1);
  });

  it('never retries a streamed request body', async () => {
    const s = await server((_req, res) => json(res, 503, {}));
    const c = client({ sleep: recordingSleep().sleep });
    const r = await c.request({ service: 'hawkbit', method: 'PUT', url: s.url, body: Readable.from(['chunk']) });
    expect(r.status).toBe(503);
    expect(s.requests).toHaveLength(1);
  });
});

describe('network failures and timeouts', () => {
  it('throws NetworkError with service, method, redacted URL and a hint when the connection is refused', async () => {
    const port = await freePort();
    const { sleep, delays } = recordingSleep();
    const c = client({ sleep });
    const err = await rejection(
      c.request({ service: 'keycloak', method: 'GET', url: `http://127.0.0.1:${port}/realms/cdm?access_token=s3cr3t&first=0` }),
    );
    expect(err).toBeInstanceOf(NetworkError);
    const e = err as NetworkError;
    expect(e.service).toBe('keycloak');
    expect(e.message).toContain(`keycloak: GET http://127.0.0.1:${port}/realms/cdm?access_token=[REDACTED]&first=0`);
    expect(e.message).toContain('connection refused (ECONNREFUSED)');
    expect(e.message).toContain('after 4 attempts');
    expect(e.message).not.toContain('s3cr3t');
    expect(e.hint).toMatch(/nothing is listening/);
    expect(delays).toHaveLength(3);
  });

  it('retries a POST whose connection was refused: nothing reached a server', async () => {
    const port = await freePort();
    const { sleep, delays } = recordingSleep();
    const c = client({ sleep, maxRetries: 2 });
    const err = await rejection(c.request({ service: 'bridge', method: 'POST', url: `http://127.0.0.1:${port}/join`, json: {} }));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toContain('after 3 attempts');
    expect(delays).toHaveLength(2);
  });

  it('fails with a read timeout when the server never answers', async () => {
    const s = await server(() => undefined);
    const c = client({ readTimeoutMs: 150, maxRetries: 0 });
    const err = await rejection(c.request({ service: 'hawkbit', method: 'GET', url: s.url }));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/no answer within 0\.15s \(read timeout\) \(UND_ERR_HEADERS_TIMEOUT\)/);
  });

  it('applies a per-request read timeout and retries a timed-out GET', async () => {
    const s = await server(() => undefined);
    const { sleep, delays } = recordingSleep();
    const c = client({ readTimeoutMs: 60_000, maxRetries: 1, sleep });
    const started = Date.now();
    const err = await rejection(c.request({ service: 'hawkbit', method: 'GET', url: s.url, timeoutMs: 100 }));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toContain('after 2 attempts');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(delays).toHaveLength(1);
  });

  it('turns the whole-command timeout into PendingError (exit 8)', async () => {
    const s = await server(() => undefined);
    const c = client({ signal: AbortSignal.timeout(150), commandTimeoutMs: 150 });
    const err = await rejection(c.request({ service: 'hawkbit', method: 'GET', url: `${s.url}/rollouts` }));
    expect(err).toBeInstanceOf(PendingError);
    expect((err as PendingError).exitCode).toBe(ExitCode.pending);
    expect((err as Error).message).toMatch(/^timed out after 150ms \(hawkbit: GET http:\/\/127\.0\.0\.1:\d+\/rollouts/);
  });

  it('stops waiting out a Retry-After when the command times out', async () => {
    const s = await server((_req, res) => json(res, 503, {}, { 'retry-after': '30' }));
    const c = client({ signal: AbortSignal.timeout(200), commandTimeoutMs: 200 });
    const started = Date.now();
    const err = await rejection(c.request({ service: 'hawkbit', method: 'GET', url: s.url }));
    expect(err).toBeInstanceOf(PendingError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rethrows the CancelError of a user abort', async () => {
    const s = await server(() => undefined);
    const ac = new AbortController();
    const c = client({ signal: ac.signal });
    const cancel = new CancelError('interrupted');
    setTimeout(() => ac.abort(cancel), 50);
    await expect(c.request({ service: 'x', method: 'GET', url: s.url })).rejects.toBe(cancel);
    await expect(c.request({ service: 'x', method: 'GET', url: s.url })).rejects.toBe(cancel);
  });
});

describe('client-side rate limit', () => {
  it('spaces requests by the token bucket (injected clock and sleep)', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    let clock = 0;
    const delays: number[] = [];
    const lines: string[] = [];
    const c = client({
      rateLimit: { requestsPerSecond: 10, burst: 2 },
      trace: (l) => lines.push(l),
      now: () => clock,
      sleep: (ms) => {
        delays.push(ms);
        clock += ms;
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 5; i++) await c.request({ service: 'x', method: 'GET', url: s.url });
    // Two from the burst, then one every 100 ms.
    expect(delays).toEqual([100, 100, 100]);
    expect(s.requests).toHaveLength(5);
    expect(lines.filter((l) => l === '* client rate limit: waited 100 ms')).toHaveLength(3);
  });

  it('counts retries against the bucket', async () => {
    const s = await server((_req, res, n) => (n === 1 ? json(res, 503, {}) : json(res, 200, {})));
    let clock = 0;
    const delays: number[] = [];
    const c = client({
      rateLimit: { requestsPerSecond: 1, burst: 1 },
      random: () => 0,
      now: () => clock,
      sleep: (ms) => {
        delays.push(ms);
        clock += ms;
        return Promise.resolve();
      },
    });
    await c.request({ service: 'x', method: 'GET', url: s.url });
    expect(delays).toEqual([0, 1000]); // backoff (jitter 0), then the bucket's wait for a token
  });
});

describe('trace', () => {
  it('prints request and response, redacted, through trace', async () => {
    const s = await server((_req, res) =>
      json(res, 200, { access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', token_type: 'Bearer', expires_in: 300 }, {
        'set-cookie': 'KC_SESSION=abcdef',
      }),
    );
    const lines: string[] = [];
    const c = client({ trace: (l) => lines.push(l) });
    await c.request({
      service: 'keycloak',
      method: 'POST',
      url: `${s.url}/token?client_secret=qs-secret`,
      headers: { Authorization: 'Bearer tok-123' },
      form: { grant_type: 'client_credentials', client_id: 'cdm-ci', client_secret: 'form-secret' },
    });
    const out = lines.join('\n');
    expect(lines[0]).toBe(`> POST ${s.url}/token?client_secret=[REDACTED] [keycloak]`);
    expect(out).toContain('> authorization: Bearer [REDACTED]');
    expect(out).toContain('> grant_type=client_credentials&client_id=cdm-ci&client_secret=[REDACTED]');
    expect(out).toMatch(/< 200 OK \(\d+ ms\)/);
    expect(out).toContain('< set-cookie: [REDACTED]');
    expect(out).toContain('"access_token":"[REDACTED]"');
    expect(out).toContain('"token_type":"Bearer"');
    for (const secret of ['qs-secret', 'tok-123', 'form-secret', 'abcdef', 'eyJhbGci']) expect(out).not.toContain(secret);
  });

  it('truncates long bodies to 4 KiB after redacting them', async () => {
    const big = { items: Array.from({ length: 500 }, (_, i) => ({ id: i, name: `device-${i}` })), password: 'p' };
    const s = await server((_req, res) => json(res, 200, big));
    const lines: string[] = [];
    const c = client({ trace: (l) => lines.push(l) });
    await c.request({ service: 'thingsboard', method: 'GET', url: s.url });
    const bodyLine = lines.find((l) => l.startsWith('< {'));
    expect(bodyLine).toBeDefined();
    expect(bodyLine?.length).toBeLessThan(4200);
    expect(bodyLine).toMatch(/… \[\d+ more characters\]$/);
  });

  it('notes retries and failures', async () => {
    const s = await server((_req, res, n) => (n === 1 ? json(res, 503, {}) : json(res, 200, {})));
    const lines: string[] = [];
    const c = client({ trace: (l) => lines.push(l), sleep: recordingSleep().sleep, random: () => 0 });
    await c.request({ service: 'x', method: 'GET', url: s.url });
    expect(lines).toContain('* HTTP 503: retrying in 0 ms');
    expect(lines.some((l) => l.endsWith('[x] (attempt 2/4)'))).toBe(true);
  });
});
