// Calls between the services of a sandbox stack go to the target's handler in memory: the same
// routing, request log and counters as over a socket, no connection opened; outside clients and
// stopped services still go through sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/sandbox/bridge/http-client.js';
import { UnreachableError } from '../../../src/sandbox/bridge/errors.js';
import { dispatchInProcess } from '../../../src/sandbox/kit/in-process.js';
import { createContext } from '../../../src/sandbox/kit/router.js';
import { startEmulatorServer, type RequestInfo, type RunningEmulator } from '../../../src/sandbox/kit/server.js';
import type { Emulator } from '../../../src/sandbox/kit/types.js';

const open: RunningEmulator[] = [];
afterEach(async () => { await Promise.all(open.splice(0).map((s) => s.close())); });

const echo: Emulator = {
  name: 'echo',
  async handle(req, res) {
    const ctx = createContext(req, res);
    if (ctx.path === '/drop') { req.socket.destroy(); return; }
    if (ctx.path === '/stream') {
      res.setHeader('x-kind', 'stream');
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.write('a');
      res.end('b');
      return;
    }
    ctx.send(200, { method: ctx.method, path: ctx.path, query: ctx.query.get('q'), body: await ctx.text(), auth: ctx.header('authorization') ?? null, remote: req.socket.remoteAddress, remotePort: req.socket.remotePort });
  },
};

async function serve(seen: RequestInfo[]): Promise<{ s: RunningEmulator }> {
  const s = await startEmulatorServer(echo, { port: 0, onRequest: (i) => seen.push(i) });
  open.push(s);
  return { s };
}

describe('in-process calls inside a stack', () => {
  it('reach the handler with method, path, query, headers and body, and are logged as internal', async () => {
    const seen: RequestInfo[] = [];
    const { s } = await serve(seen);
    const client = new HttpClient('echo', s.url);
    const r = await client.call('POST', '/things?q=1', { headers: { authorization: 'Bearer t' }, body: { a: 1 } });
    expect(r.status).toBe(200);
    // remotePort 0: no socket was opened.
    expect(r.json).toEqual({ method: 'POST', path: '/things', query: '1', body: '{"a":1}', auth: 'Bearer t', remote: '127.0.0.1', remotePort: 0 });
    expect(r.headers['content-type']).toBe('application/json');
    expect(s.requestCount()).toBe(1);
    await expect.poll(() => seen).toEqual([{ service: 'echo', method: 'POST', path: '/things', status: 200, internal: true }]);
  });

  it('collects headers set before writeHead and bodies written in parts', async () => {
    const { s } = await serve([]);
    const r = await new HttpClient('echo', s.url).call('GET', '/stream');
    expect(r).toMatchObject({ status: 201, text: 'ab' });
    expect(r.headers).toMatchObject({ 'x-kind': 'stream', 'content-type': 'text/plain' });
  });

  it('a dropped connection is unreachable, as over a socket', async () => {
    const seen: RequestInfo[] = [];
    const { s } = await serve(seen);
    await expect(new HttpClient('echo', s.url).call('GET', '/drop')).rejects.toBeInstanceOf(UnreachableError);
    await expect.poll(() => seen.map((i) => i.status)).toEqual([0]);
  });

  it('a handler that never answers times out, as the caller\'s socket would', async () => {
    const silent = (): void => { /* never answers */ };
    await expect(dispatchInProcess(silent, new URL('http://127.0.0.1:1/x'), 'GET', {}, undefined, 50)).rejects.toThrow(/timed out after 50 ms/);
  });

  it('outside clients (the device simulator) and stopped services use sockets', async () => {
    const seen: RequestInfo[] = [];
    const { s } = await serve(seen);
    const outside = await new HttpClient('echo', s.url, undefined, true).call('GET', '/x');
    expect((outside.json as { remotePort: number }).remotePort).toBeGreaterThan(0);
    await expect.poll(() => seen.map((i) => i.internal)).toEqual([false]);
    const url = s.url;
    await s.close();
    await expect(new HttpClient('echo', url).call('GET', '/x')).rejects.toBeInstanceOf(UnreachableError);
  });
});
