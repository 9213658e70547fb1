// The bridge logs in to ThingsBoard once for concurrent enrollments (each login costs ThingsBoard a
// password hash; 16 parallel enrollments used to log in 16 times), and logs in again once when
// the token is refused.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ThingsboardClient } from '../../../src/sandbox/bridge/thingsboard-client.js';

interface FakeTb { url: string; logins: number; expire(): void; close(): Promise<void> }

async function fakeThingsboard(): Promise<FakeTb> {
  let valid = '';
  let devices = 0;
  const state = { logins: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const send = (status: number, json: unknown): void => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json)); };
      if (req.url === '/api/auth/login') {
        state.logins += 1;
        valid = `token-${state.logins}`;
        // Answer later, so that concurrent callers find the login still in flight.
        setTimeout(() => send(200, { token: valid, refreshToken: 'r' }), 20);
        return;
      }
      if (req.headers['x-authorization'] !== `Bearer ${valid}`) return send(401, { status: 401, message: 'Token has expired', errorCode: 11 });
      devices += 1;
      send(200, { id: { entityType: 'DEVICE', id: `id-${devices}` }, name: (JSON.parse(body) as { device: { name: string } }).device.name });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get logins() { return state.logins; },
    expire() { valid = 'expired'; },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let tb: FakeTb | undefined;
let client: ThingsboardClient | undefined;
afterEach(async () => {
  client?.close();
  await tb?.close();
});

describe('the bridge ThingsBoard client', () => {
  it('shares one login among concurrent enrollments', async () => {
    tb = await fakeThingsboard();
    client = new ThingsboardClient(tb.url, 'tenant@acme', 'secret');
    const ids = await Promise.all(Array.from({ length: 16 }, (_, i) => client!.upsertX509Device(`dev-${i}`, '', 'default', 'PEM')));
    expect(new Set(ids).size).toBe(16);
    expect(tb.logins).toBe(1);
  });

  it('logs in again once when the token is refused, for all callers that held it', async () => {
    tb = await fakeThingsboard();
    client = new ThingsboardClient(tb.url, 'tenant@acme', 'secret');
    await client.upsertX509Device('dev-first', '', 'default', 'PEM');
    tb.expire();
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => client!.upsertX509Device(`dev-${i}`, '', 'default', 'PEM')));
    expect(ids).toHaveLength(8);
    expect(tb.logins).toBe(2);
  });
});
