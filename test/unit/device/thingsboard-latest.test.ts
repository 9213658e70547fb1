// The ThingsBoard client's latest values of many devices: one entity data query per call, device by
// device against a server without that API (404, asked once), and a failing query is an error, not
// a silent fallback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../../src/core/errors.js';
import { createHttpClient } from '../../../src/http/client.js';
import { ThingsboardClient } from '../../../src/services/thingsboard/client.js';

let server: Server | undefined;
afterEach(async () => { await new Promise((r) => server?.close(r)); server = undefined; });

async function fakeTb(entityQuery: 'yes' | 'absent' | 'broken'): Promise<{ url: string; seen: string[]; bodies: unknown[] }> {
  const seen: string[] = [];
  const bodies: unknown[] = [];
  const send = (res: ServerResponse, status: number, body: unknown): void => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)); };
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString(); });
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      seen.push(`${req.method} ${url.pathname}`);
      if (url.pathname === '/api/auth/login') return send(res, 200, { token: 't', refreshToken: 'r' });
      if (url.pathname === '/api/entitiesQuery/find') {
        bodies.push(JSON.parse(raw));
        if (entityQuery === 'absent') return send(res, 404, { timestamp: 1, status: 404, error: 'Not Found', path: url.pathname });
        if (entityQuery === 'broken') return send(res, 500, { status: 500, message: 'boom', errorCode: 2 });
        return send(res, 200, {
          data: [
            { entityId: { entityType: 'DEVICE', id: 'a' }, latest: { TIME_SERIES: { cpu_percent: { ts: 5, value: '42' }, disk_percent: { ts: 0 } }, SERVER_ATTRIBUTE: { lastActivityTime: { ts: 6, value: '1000' } } }, timeseries: {} },
            { entityId: { entityType: 'DEVICE', id: 'b' }, latest: { TIME_SERIES: { cpu_percent: { ts: 0, value: '' }, disk_percent: { ts: 0 } } }, timeseries: {} },
          ],
          totalPages: 1, totalElements: 2, hasNext: false,
        });
      }
      const m = /^\/api\/plugins\/telemetry\/DEVICE\/(\w+)\/values\/(timeseries|attributes\/SERVER_SCOPE)$/.exec(url.pathname);
      if (m?.[2] === 'timeseries') return send(res, 200, m[1] === 'a' ? { cpu_percent: [{ ts: 5, value: '42' }] } : {});
      if (m) return send(res, 200, m[1] === 'a' ? [{ key: 'lastActivityTime', value: 1000, lastUpdateTs: 6 }] : []);
      return send(res, 500, { status: 500, message: 'unexpected', errorCode: 2 });
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen, bodies };
}

const clientOf = (url: string): ThingsboardClient => new ThingsboardClient(createHttpClient({ env: {}, maxRetries: 0 }), url, { username: 'u', password: 'pw' });

describe('ThingsboardClient.latestOfMany', () => {
  it('asks one entity data query for all the devices', async () => {
    const tb = await fakeTb('yes');
    const got = await clientOf(tb.url).latestOfMany(['a', 'b'], ['cpu_percent', 'disk_percent'], ['lastActivityTime']);
    expect(tb.seen.filter((s) => !s.includes('/auth/'))).toEqual(['POST /api/entitiesQuery/find']);
    expect(tb.bodies[0]).toEqual({
      entityFilter: { type: 'entityList', entityType: 'DEVICE', entityList: ['a', 'b'] },
      pageLink: { page: 0, pageSize: 2 },
      latestValues: [{ type: 'TIME_SERIES', key: 'cpu_percent' }, { type: 'TIME_SERIES', key: 'disk_percent' }, { type: 'SERVER_ATTRIBUTE', key: 'lastActivityTime' }],
    });
    expect(got.get('a')).toEqual({ telemetry: { cpu_percent: [{ ts: 5, value: '42' }] }, attributes: { lastActivityTime: [{ ts: 6, value: '1000' }] } });
    // Keys without a value ({ts: 0}) are absent, as in the per-device answer.
    expect(got.get('b')).toEqual({ telemetry: {}, attributes: {} });
  });

  it('against a ThingsBoard without the API, asks device by device, and learns it once', async () => {
    const tb = await fakeTb('absent');
    const client = clientOf(tb.url);
    const got = await client.latestOfMany(['a', 'b'], ['cpu_percent'], ['lastActivityTime']);
    expect(got.get('a')).toEqual({ telemetry: { cpu_percent: [{ ts: 5, value: '42' }] }, attributes: { lastActivityTime: [{ ts: 6, value: 1000 }] } });
    expect(got.get('b')).toEqual({ telemetry: {}, attributes: {} });
    await client.latestOfMany(['a'], ['cpu_percent']);
    expect(tb.seen.filter((s) => s.includes('entitiesQuery'))).toHaveLength(1);
    expect(tb.seen.filter((s) => s.endsWith('/values/timeseries'))).toHaveLength(3);
  });

  it('a failing query is an error, not a quiet switch to per-device calls', async () => {
    const tb = await fakeTb('broken');
    await expect(clientOf(tb.url).latestOfMany(['a'], ['cpu_percent'])).rejects.toBeInstanceOf(BackendError);
    expect(tb.seen.filter((s) => s.endsWith('/values/timeseries'))).toHaveLength(0);
  });
});
