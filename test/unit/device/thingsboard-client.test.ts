// The ThingsBoard client against a loopback server: login, X-Authorization, refresh of an
// expired token (401 code 11) and one retry, PageData paging, error bodies → typed errors.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, BackendError, ConflictError, NotFoundError } from '../../../src/core/errors.js';
import { createHttpClient } from '../../../src/http/client.js';
import { ThingsboardClient } from '../../../src/services/thingsboard/client.js';

let server: Server;
let base = '';
const seen: string[] = [];
let token = 't1';
let expireOnce = false;

function send(res: ServerResponse, status: number, body: unknown, text = false): void {
  res.writeHead(status, { 'content-type': text ? 'text/plain' : 'application/json' });
  res.end(text ? String(body) : JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = '';
  for await (const c of req) raw += c;
  const url = new URL(req.url!, 'http://x');
  seen.push(`${req.method} ${url.pathname}${url.search} ${req.headers['x-authorization'] ?? ''}`);
  if (url.pathname === '/api/auth/login') {
    const b = JSON.parse(raw) as { username: string; password: string };
    if (b.password !== 'pw') return send(res, 401, { status: 401, message: 'Invalid username or password', errorCode: 10 });
    return send(res, 200, { token, refreshToken: 'r1' });
  }
  if (url.pathname === '/api/auth/token') {
    token = 't2';
    return send(res, 200, { token: 't2', refreshToken: 'r2' });
  }
  if (req.headers['x-authorization'] !== `Bearer ${token}` || expireOnce) {
    expireOnce = false;
    return send(res, 401, { status: 401, message: 'Token has expired', errorCode: 11 });
  }
  if (url.pathname === '/api/tenant/deviceInfos') {
    const page = Number(url.searchParams.get('page'));
    const data = page === 0 ? [{ id: { id: 'a' }, name: 'd-1', active: true }, { id: { id: 'b' }, name: 'd-2', active: false }] : [{ id: { id: 'c' }, name: 'd-3' }];
    return send(res, 200, { data, totalPages: 2, totalElements: 3, hasNext: page === 0 });
  }
  if (url.pathname === '/api/alarm/x/ack') return send(res, 400, { status: 400, message: 'Alarm was already acknowledged!', errorCode: 31 });
  if (url.pathname === '/api/alarm/y/clear') return send(res, 403, { status: 403, message: 'You don\'t have permission to perform this operation!', errorCode: 20 });
  if (url.pathname === '/api/device/info/nope') return send(res, 404, { status: 404, message: 'Device with id [nope] is not found', errorCode: 32 });
  if (url.pathname === '/api/tenant/devices') return send(res, 404, { status: 404, message: 'Requested item wasn\'t found!', errorCode: 32 });
  if (url.pathname.endsWith('/values/timeseries')) return send(res, 400, 'Invalid JSON', true);
  return send(res, 500, { status: 500, message: 'boom', errorCode: 2 });
}

beforeAll(async () => {
  server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = (password = 'pw'): ThingsboardClient =>
  new ThingsboardClient(createHttpClient({ maxRetries: 0, rateLimit: { requestsPerSecond: 0 } }), `${base}/`, { username: 'tenant@tb', password });

describe('ThingsboardClient', () => {
  it('logs in once, sends X-Authorization, pages until hasNext is false', async () => {
    seen.length = 0;
    const tb = client();
    const pages: string[][] = [];
    for await (const p of tb.deviceInfoPages({ active: true, pageSize: 2 })) pages.push(p.map((d) => d.name));
    expect(pages).toEqual([['d-1', 'd-2'], ['d-3']]);
    expect(seen.filter((l) => l.startsWith('POST /api/auth/login'))).toHaveLength(1);
    expect(seen[1]).toMatch(/^GET \/api\/tenant\/deviceInfos\?active=true&.*pageSize=2&page=0 Bearer t1$/);
  });

  it('refreshes an expired token with the refresh token and retries the call once', async () => {
    const tb = client();
    for await (const _ of tb.deviceInfoPages()) break;
    seen.length = 0;
    expireOnce = true;
    for await (const p of tb.deviceInfoPages()) { expect(p[0]!.name).toBe('d-1'); break; }
    expect(seen.map((l) => l.split(' ').slice(0, 2).join(' ').replace(/\?.*/, ''))).toEqual(['GET /api/tenant/deviceInfos', 'POST /api/auth/token', 'GET /api/tenant/deviceInfos']);
    expect(seen[2]).toMatch(/Bearer t2$/);
  });

  it('maps ThingsBoard error bodies to typed errors', async () => {
    const tb = client();
    const ack = await tb.ack('x').catch((e: unknown) => e);
    expect(ack).toBeInstanceOf(ConflictError);
    expect((ack as ConflictError).exitCode).toBe(5);
    expect((ack as Error).message).toMatch(/already acknowledged/);
    expect(await tb.clear('y').catch((e: unknown) => e)).toBeInstanceOf(AuthError);
    expect(await tb.deviceInfo('nope').catch((e: unknown) => e)).toBeInstanceOf(NotFoundError);
    expect(await tb.deviceByName('nope')).toBeUndefined();
    const text = await tb.latest('a').catch((e: unknown) => e);
    expect(text).toBeInstanceOf(BackendError);
    expect((text as Error).message).toMatch(/Invalid JSON/);
    const bad = await client('wrong').deviceInfo('a').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AuthError);
    expect((bad as AuthError).hint).toMatch(/set-credential thingsboard/);
  });
});
