// A plain HTTP proxy in front of a sandbox service that answers some requests itself (an injected
// fault, or what a server without a route answers) and forwards the rest.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Refusal { status: number; body: unknown }

/** The injected fault of the offboard tests: 403 with an OAuth-style body. */
export const INJECTED_403: Refusal = { status: 403, body: { error: 'injected fault', error_description: 'refused by the test proxy' } };

export async function faultProxy(target: string, refuse: (method: string, path: string) => boolean, answer: Refusal = INJECTED_403): Promise<{ url: string; refused: string[]; close(): Promise<void> }> {
  const refused: string[] = [];
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    if (refuse(req.method ?? '', req.url ?? '')) {
      refused.push(`${req.method} ${req.url}`);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      return;
    }
    const up = request({ hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
