// The sandbox host: serves one emulator on a loopback port, over HTTPS when the emulator
// brings a certificate, with optional fault injection (for requests from outside the stack, see
// internal-hop.ts) and a request counter (tests use it to prove that bad input sent nothing).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { applyFault, createFaultInjector, type FaultOptions } from './faults.js';
import { registerInProcess } from './in-process.js';
import { holdResponse } from './response-hold.js';
import { isInternalHop } from './internal-hop.js';
import type { Emulator } from './types.js';

export interface RequestInfo {
  service: string;
  method: string;
  /** Path without the query string (queries may carry tokens). */
  path: string;
  /** Status sent; 0 when the connection was dropped before a response finished. */
  status: number;
  /** A call between the services of a stack (internal-hop.ts), not from a client. */
  internal: boolean;
}

export interface EmulatorServerOptions {
  /** Default 127.0.0.1: the sandbox never listens beyond loopback unless told to. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  faults?: FaultOptions;
  onRequest?: (info: RequestInfo) => void;
}

export interface RunningEmulator {
  port: number;
  url: string;
  /** Stops listening, ends open connections and closes the emulator. */
  close(): Promise<void>;
  /** Requests received so far, faulted ones included. */
  requestCount(): number;
}

/** Idle keep-alive sockets stay open this long, well above common client pool timeouts (undici: 4 s). */
const KEEP_ALIVE_MS = 30_000;

export async function startEmulatorServer(emu: Emulator, opts: EmulatorServerOptions): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const injector = createFaultInjector(opts.faults);
  const delayed = new Set<NodeJS.Timeout>();
  let count = 0;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    count++;
    const internal = isInternalHop(req.headers);
    // Decided on arrival, so the fault sequence follows the request order, not handler timing.
    // Calls inside a stack draw nothing: the sequence a client sees does not depend on them.
    const fault = internal ? undefined : injector.next();
    const info = { service: emu.name, method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, internal };
    res.once('close', () => opts.onRequest?.({ ...info, status: res.writableFinished ? res.statusCode : 0 }));
    const serve = (): void => {
      if (fault) {
        applyFault(fault, req, res);
        return;
      }
      // Through a promise so a handler that throws synchronously is caught too.
      Promise.resolve().then(() => emu.handle(req, res)).catch((err: unknown) => failed(res, err));
    };
    if (injector.latencyMs <= 0 || internal) return serve();
    if (fault) {
      // A fault is the answer itself (or the dropped connection): it comes after the latency.
      const timer = setTimeout(() => {
        delayed.delete(timer);
        serve();
      }, injector.latencyMs);
      delayed.add(timer);
      return;
    }
    const timer = holdResponse(res, injector.latencyMs);
    delayed.add(timer);
    res.once('close', () => delayed.delete(timer));
    serve();
  };

  const server: Server = emu.tls
    ? createHttpsServer({
      key: emu.tls.key,
      cert: emu.tls.cert,
      requestCert: emu.tls.requestCert ?? false,
      // The emulator judges client certificates itself (step-ca answers 401 in its own shape).
      rejectUnauthorized: false,
    }, onRequest)
    : createHttpServer(onRequest);
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `${emu.tls ? 'https' : 'http'}://${urlHost}:${port}`;
  const unregister = registerInProcess(url, onRequest);

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    unregister();
    for (const t of delayed) clearTimeout(t);
    delayed.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets would hold close() open until they time out.
    server.closeAllConnections();
    await closed;
    await emu.close?.();
  };

  return {
    port,
    url,
    requestCount: () => count,
    // Idempotent: a test's own close and its cleanup hook may both call it.
    close: () => (closing ??= close()),
  };
}

/** An emulator bug must not hang the client: 500 if nothing was sent yet, else cut the connection. */
function failed(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `sandbox emulator error: ${err instanceof Error ? err.message : String(err)}\n`;
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
