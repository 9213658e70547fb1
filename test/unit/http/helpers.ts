// Real loopback servers for the HTTP core tests. msw cannot intercept undici (mswjs/msw#2165),
// and real sockets let us test keep-alive, resets, timeouts, TLS and proxies for what they are.

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { tempDir } from '../../helpers/temp.js';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  remotePort: number;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number, body: string) => void;

export interface Loopback {
  url: string;
  port: number;
  requests: Recorded[];
  close(): Promise<void>;
}

async function listen(server: http.Server | https.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Starts an HTTP (or, given TLS options, HTTPS) server on 127.0.0.1:0 that records requests. */
export async function startServer(handler: Handler, tlsOptions?: https.ServerOptions): Promise<Loopback> {
  const requests: Recorded[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        remotePort: req.socket.remotePort ?? -1,
      });
      handler(req, res, requests.length, body);
    });
  };
  const server = tlsOptions === undefined ? http.createServer(onRequest) : https.createServer(tlsOptions, onRequest);
  const port = await listen(server);
  const scheme = tlsOptions === undefined ? 'http' : 'https';
  return { url: `${scheme}://127.0.0.1:${port}`, port, requests, close: () => closeServer(server) };
}

/** A port on which nothing listens (bound, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Minimal HTTP CONNECT proxy recording the tunnels it opens. */
export async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const server = http.createServer((_req, res) => {
    res.statusCode = 405;
    res.end();
  });
  const sockets = new Set<net.Socket>();
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const [host, port] = target.split(':');
    // `localhost` names the loopback servers of these tests (cdm never proxies loopback IPs); the
    // servers listen on 127.0.0.1, whatever localhost resolves to first.
    const upstream = net.connect(Number(port), host === undefined || host === 'localhost' ? '127.0.0.1' : host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: async () => {
      for (const s of sockets) s.destroy();
      await closeServer(server);
    },
  };
}

export interface TestPki {
  dir: string;
  caFile: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  cleanup(): void;
}

/** A throwaway CA with a server cert (127.0.0.1, localhost) and a client cert, via openssl. */
export function makePki(): TestPki {
  const dir = tempDir('cdm-http-pki-');
  const f = (name: string): string => join(dir, name);
  const ossl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ossl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-subj', '/CN=cdm test root', '-days', '2',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const leaf = (name: string, cn: string, ext: string): void => {
    ossl('req', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${cn}`);
    writeFileSync(f(`${name}.ext`), ext);
    ossl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-out', f(`${name}.crt`), '-days', '2', '-extfile', f(`${name}.ext`));
  };
  leaf('server', 'localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'device-operator-1', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string): string => readFileSync(f(name), 'utf8');
  return {
    dir,
    caFile: f('ca.crt'),
    caCert: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A sleep that records requested delays and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms: number) => {
      delays.push(ms);
      return Promise.resolve();
    },
  };
}
