// The sandbox host over real loopback sockets: serving, counting, fault injection (each kind
// and its determinism), latency, keep-alive, HTTPS with client certificates.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaultInjector, type FaultKind, type FaultOptions } from '../../../src/sandbox/kit/faults.js';
import { INTERNAL_HOP_HEADER, INTERNAL_HOP_TOKEN } from '../../../src/sandbox/kit/internal-hop.js';
import { createContext } from '../../../src/sandbox/kit/router.js';
import { startEmulatorServer, type RequestInfo, type RunningEmulator } from '../../../src/sandbox/kit/server.js';
import type { Emulator } from '../../../src/sandbox/kit/types.js';

/** Echoes what the emulator saw; `/boom` throws, as a buggy emulator would. */
function echoEmulator(tls?: Emulator['tls']): Emulator {
  return {
    name: 'echo',
    tls,
    async handle(req, res) {
      const ctx = createContext(req, res);
      if (ctx.path === '/boom') throw new Error('kaputt');
      const socket = req.socket as TLSSocket;
      const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
      ctx.send(200, {
        method: ctx.method, path: ctx.path, body: await ctx.text(), remotePort: req.socket.remotePort,
        peerCn: peer && peer.subject ? peer.subject.CN : null,
      });
    },
  };
}

interface Got { status: number; headers: IncomingMessage['headers']; text: string }
type Outcome = Got | { dropped: true };

interface GetOptions { agent?: HttpAgent; ca?: string; cert?: string; key?: string; method?: string; headers?: Record<string, string> }

/** One request with node:http(s); a reset connection resolves to `{ dropped: true }`. */
function get(url: string, opts: GetOptions = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const requestFn = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = requestFn(url, { method: opts.method ?? 'GET', agent: opts.agent, ca: opts.ca, cert: opts.cert, key: opts.key, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.message === 'socket hang up') resolve({ dropped: true });
      else reject(err);
    });
    req.end();
  });
}

function kindOf(o: Outcome): FaultKind | 'ok' {
  if ('dropped' in o) return 'dropped';
  return ({ 200: 'ok', 503: 'unavailable', 500: 'error', 429: 'throttled' } as const)[o.status as 200 | 503 | 500 | 429];
}

/** A seed whose first request gets `kind` at error rate 1. */
function seedFor(kind: FaultKind): number {
  for (let seed = 1; seed < 1000; seed++) if (createFaultInjector({ seed, errorRate: 1 }).next() === kind) return seed;
  throw new Error(`no seed gives ${kind}`);
}

const running: RunningEmulator[] = [];
async function start(emu: Emulator, faults?: FaultOptions, onRequest?: (i: RequestInfo) => void): Promise<RunningEmulator> {
  const s = await startEmulatorServer(emu, { port: 0, faults, onRequest });
  running.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('startEmulatorServer', () => {
  it('serves the emulator on loopback, counts requests and reports each one', async () => {
    const seen: RequestInfo[] = [];
    const s = await start(echoEmulator(), undefined, (i) => seen.push(i));
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.requestCount()).toBe(0);
    const r = await get(`${s.url}/a/b?token=secret`) as Got;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ method: 'GET', path: '/a/b' });
    await get(`${s.url}/c`, { method: 'DELETE' });
    expect(s.requestCount()).toBe(2);
    await expect.poll(() => seen.length).toBe(2);
    // the query string (which may carry tokens) is not reported
    expect(seen).toEqual([
      { service: 'echo', method: 'GET', path: '/a/b', status: 200, internal: false },
      { service: 'echo', method: 'DELETE', path: '/c', status: 200, internal: false },
    ]);
  });

  it('answers 500 in plain text when the emulator throws', async () => {
    const s = await start(echoEmulator());
    const r = await get(`${s.url}/boom`) as Got;
    expect(r.status).toBe(500);
    expect(r.text).toContain('kaputt');
  });

  it('keeps connections alive between requests', async () => {
    const s = await start(echoEmulator());
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    try {
      const a = JSON.parse((await get(`${s.url}/1`, { agent }) as Got).text) as { remotePort: number };
      const b = JSON.parse((await get(`${s.url}/2`, { agent }) as Got).text) as { remotePort: number };
      expect(b.remotePort).toBe(a.remotePort);
      // close() must not wait for the idle keep-alive socket to time out
      const t0 = Date.now();
      await s.close();
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      agent.destroy();
    }
  });

  it('delays every response by the configured latency', async () => {
    const s = await start(echoEmulator(), { latencyMs: 150 });
    const t0 = performance.now();
    expect(kindOf(await get(`${s.url}/x`))).toBe('ok');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('serves a request when it arrives and holds only its answer: the latency is not added to the handler\'s time', async () => {
    const ran: number[] = [];
    const slow: Emulator = {
      name: 'slow',
      async handle(req, res) {
        ran.push(performance.now());
        const wait = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('wait') ?? 0);
        await new Promise((r) => setTimeout(r, wait));
        res.writeHead(200, { 'content-type': 'text/plain' });
        // Written in two pieces: neither may leave before the latency is over.
        res.write('part one, ');
        res.end('part two');
      },
    };
    const s = await start(slow, { latencyMs: 300 });
    const t0 = performance.now();
    const quick = await get(`${s.url}/x`) as Got;
    expect(quick.text).toBe('part one, part two');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    // The handler ran on arrival, long before the answer left.
    expect(ran[0]! - t0).toBeLessThan(150);
    // A handler slower than the latency answers when it is done, not 300 ms after that.
    const t1 = performance.now();
    expect((await get(`${s.url}/x?wait=400`) as Got).text).toBe('part one, part two');
    const took = performance.now() - t1;
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(650);
  });

  it('sends no byte of a held answer before the latency is over', async () => {
    const s = await start(echoEmulator(), { latencyMs: 250 });
    const firstByte = await new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const req = httpRequest(`${s.url}/x`, (res) => res.once('data', () => { resolve(performance.now() - t0); res.resume(); }));
      req.on('error', reject);
      req.end();
    });
    expect(firstByte).toBeGreaterThanOrEqual(240);
  });

  it('survives a client that gives up while its answer is held, and reports the request as unanswered', async () => {
    const seen: RequestInfo[] = [];
    const s = await start(echoEmulator(), { latencyMs: 200 }, (i) => seen.push(i));
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${s.url}/gone`);
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 50);
    });
    await expect.poll(() => seen.map((i) => [i.path, i.status])).toEqual([['/gone', 0]]);
    await new Promise((r) => setTimeout(r, 250));
    expect(kindOf(await get(`${s.url}/after`))).toBe('ok');
  });

  it('answers a fault after the latency too', async () => {
    const s = await start(echoEmulator(), { latencyMs: 200, errorRate: 1, seed: seedFor('unavailable') });
    const t0 = performance.now();
    expect(kindOf(await get(`${s.url}/x`))).toBe('unavailable');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('neither delays nor faults calls between the services of a stack (the internal-hop token)', async () => {
    const seen: RequestInfo[] = [];
    const s = await start(echoEmulator(), { latencyMs: 300, errorRate: 1, seed: seedFor('unavailable') }, (i) => seen.push(i));
    const t0 = performance.now();
    expect(kindOf(await get(`${s.url}/inner`, { headers: { [INTERNAL_HOP_HEADER]: INTERNAL_HOP_TOKEN } }))).toBe('ok');
    expect(performance.now() - t0).toBeLessThan(250);
    // A guessed token is just an outside client: the fault sequence starts with it.
    expect(kindOf(await get(`${s.url}/outer`, { headers: { [INTERNAL_HOP_HEADER]: 'guess' } }))).toBe('unavailable');
    await expect.poll(() => seen.map((i) => [i.path, i.internal])).toEqual([['/inner', true], ['/outer', false]]);
  });

  it('refuses invalid fault options before listening', async () => {
    await expect(startEmulatorServer(echoEmulator(), { port: 0, faults: { errorRate: 2 } })).rejects.toThrow(RangeError);
  });
});

describe('fault injection', () => {
  it('503 with a plain-text body', async () => {
    const s = await start(echoEmulator(), { errorRate: 1, seed: seedFor('unavailable') });
    const r = await get(`${s.url}/x`) as Got;
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/Service Unavailable/);
  });

  it('500', async () => {
    const s = await start(echoEmulator(), { errorRate: 1, seed: seedFor('error') });
    expect((await get(`${s.url}/x`) as Got).status).toBe(500);
  });

  it('429 with Retry-After: 1', async () => {
    const s = await start(echoEmulator(), { errorRate: 1, seed: seedFor('throttled') });
    const r = await get(`${s.url}/x`) as Got;
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('1');
  });

  it('a dropped connection, reported with status 0', async () => {
    const seen: RequestInfo[] = [];
    const s = await start(echoEmulator(), { errorRate: 1, seed: seedFor('dropped') }, (i) => seen.push(i));
    expect(await get(`${s.url}/x`)).toEqual({ dropped: true });
    expect(s.requestCount()).toBe(1);
    await expect.poll(() => seen).toEqual([{ service: 'echo', method: 'GET', path: '/x', status: 0, internal: false }]);
  });

  it('follows the seeded sequence, so the same seed replays the same faults', async () => {
    const faults = { errorRate: 0.5, seed: 1234 };
    const predicted = createFaultInjector(faults);
    const expected = Array.from({ length: 40 }, () => predicted.next() ?? 'ok');
    const observe = async (): Promise<string[]> => {
      const s = await start(echoEmulator(), faults);
      const out: string[] = [];
      for (let i = 0; i < expected.length; i++) out.push(kindOf(await get(`${s.url}/r${i}`)));
      expect(s.requestCount()).toBe(expected.length);
      return out;
    };
    expect(new Set(expected)).toEqual(new Set(['ok', 'unavailable', 'error', 'throttled', 'dropped']));
    expect(await observe()).toEqual(expected);
    expect(await observe()).toEqual(expected);
  });
});

describe('HTTPS', () => {
  it('serves over TLS and hands unverified client certificates to the emulator', async () => {
    const server = await selfSigned('CN=localhost');
    const client = await selfSigned('CN=device-1');
    const s = await start(echoEmulator({ key: server.key, cert: server.cert, requestCert: true }));
    expect(s.url).toBe(`https://127.0.0.1:${s.port}`);
    const withCert = await get(`${s.url}/mtls`, { ca: server.cert, cert: client.cert, key: client.key }) as Got;
    expect(withCert.status).toBe(200);
    expect(JSON.parse(withCert.text)).toMatchObject({ peerCn: 'device-1' });
    const without = await get(`${s.url}/mtls`, { ca: server.cert }) as Got;
    expect(without.status).toBe(200);
    expect(JSON.parse(without.text)).toMatchObject({ peerCn: null });
  });
});

async function selfSigned(name: string): Promise<{ key: string; cert: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name, keys, signingAlgorithm: alg,
    notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 3_600_000),
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), cert: cert.toString('pem') };
}
