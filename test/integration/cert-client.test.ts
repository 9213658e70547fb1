// The typed step-ca client over a real loopback socket: provisioner paging until nextCursor is
// empty, 201 bundle answers, error bodies → typed errors, malformed answers → backend errors.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, ConflictError, NotFoundError } from '../../src/core/errors.js';
import { createHttpClient } from '../../src/http/client.js';
import type { HttpClient } from '../../src/http/types.js';
import { StepCaClient } from '../../src/services/stepca/client.js';

const seen: string[] = [];
let server: Server;
let http: HttpClient;
let client: StepCaClient;

const names = Array.from({ length: 7 }, (_, i) => `p${i}`);

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const url = new URL(req.url!, 'http://x');
    const json = (status: number, body: unknown): void => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(`${JSON.stringify(body)}\n`); };
    if (url.pathname === '/provisioners') {
      // Pages of 3 regardless of the limit asked for; the cursor is the next index.
      const start = Number(url.searchParams.get('cursor') ?? '0');
      const page = names.slice(start, start + 3).map((name) => ({ type: 'JWK', name, key: { kid: name } }));
      return json(200, { provisioners: page, nextCursor: start + 3 < names.length ? String(start + 3) : '' });
    }
    if (url.pathname === '/roots') return json(201, { crts: ['-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n'] });
    if (url.pathname === '/revoke') return json(400, { status: 400, message: "The request could not be completed: certificate with serial number '5' is already revoked." });
    if (url.pathname === '/root/abc') return json(404, { status: 404, message: 'The requested resource could not be found. Please see the certificate authority logs for more info.' });
    if (url.pathname === '/sign') return json(201, { ca: 'x' });
    if (url.pathname === '/crl') { res.writeHead(404, { 'content-type': 'text/plain' }); return res.end('404 page not found\n'); }
    json(500, { status: 500, message: 'boom' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  http = createHttpClient({ maxRetries: 0 });
  client = new StepCaClient(http, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(async () => {
  await http.close();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('StepCaClient', () => {
  it('follows nextCursor through every page', async () => {
    seen.length = 0;
    const got: string[] = [];
    for await (const p of client.provisioners()) got.push(p.name);
    expect(got).toEqual(names);
    expect(seen).toEqual(['GET /provisioners?limit=100', 'GET /provisioners?limit=100&cursor=3', 'GET /provisioners?limit=100&cursor=6']);
  });

  it('accepts 201 for the roots bundle', async () => {
    expect(await client.roots()).toHaveLength(1);
  });

  it('maps error bodies to typed errors with service and status', async () => {
    const revoke = await client.revoke({ serial: '5', ott: 't', reasonCode: 1, reason: 'x', passive: true }).catch((e: unknown) => e);
    expect(revoke).toBeInstanceOf(ConflictError);
    expect(revoke).toMatchObject({ service: 'step-ca', status: 400 });
    await expect(client.root('abc')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a sign answer without crt is a backend error; a missing /crl route is undefined', async () => {
    await expect(client.sign({ csr: 'c', ott: 'o' })).rejects.toThrow(/unexpected sign answer \(no "crt"\)/);
    await expect(client.sign({ csr: 'c', ott: 'o' })).rejects.toBeInstanceOf(BackendError);
    expect(await client.crl()).toBeUndefined();
  });
});
