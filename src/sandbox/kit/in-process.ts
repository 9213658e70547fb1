// Calls between the services of one sandbox stack (the bridge asking step-ca, hawkBit,
// ThingsBoard, ...) are handed to the target's request handler in memory instead of going
// through a loopback socket. The handler is the very one its listener uses (routing, auth, error
// bodies, request log, counters); only the TCP and HTTP framing are skipped, which cost more CPU
// per bulk enrollment than the emulation itself. Clients from outside (cdm, devices, curl) always
// use the sockets.
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const listeners = new Map<string, RequestListener>();

/** Makes `origin` (e.g. `https://127.0.0.1:23412`) reachable in memory; returns the undo. */
export function registerInProcess(origin: string, listener: RequestListener): () => void {
  const key = new URL(origin).origin;
  listeners.set(key, listener);
  return () => {
    if (listeners.get(key) === listener) listeners.delete(key);
  };
}

export function inProcessListener(url: URL): RequestListener | undefined {
  return listeners.get(url.origin);
}

export interface InProcessReply { status: number; headers: IncomingHttpHeaders; body: Buffer }

/**
 * The request as the listener would have parsed it off the wire; rejects when the handler drops
 * the connection or has not answered within `timeoutMs` (as the caller's socket timeout would).
 */
export function dispatchInProcess(listener: RequestListener, url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<InProcessReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const res = new FakeResponse((status, head, chunks) => {
      clearTimeout(timer);
      resolve({ status, headers: head, body: Buffer.concat(chunks) });
    }, () => {
      clearTimeout(timer);
      reject(new Error('socket hang up'));
    });
    const req = fakeRequest(url, method, headers, body, () => res.destroy());
    listener(req, res as unknown as ServerResponse);
  });
}

function fakeRequest(url: URL, method: string, headers: Record<string, string>, body: string | undefined, dropped: () => void): IncomingMessage {
  const req = new Readable({ read() { /* pushed below */ } });
  const lower: IncomingHttpHeaders = { host: url.host };
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const socket = {
    remoteAddress: '127.0.0.1', remotePort: 0, localAddress: '127.0.0.1', localPort: Number(url.port),
    encrypted: url.protocol === 'https:',
    // No client certificate is presented on these calls.
    ...(url.protocol === 'https:' ? { getPeerCertificate: () => ({}) } : {}),
    destroy: dropped,
  };
  Object.assign(req, { method, url: `${url.pathname}${url.search}`, headers: lower, httpVersion: '1.1', httpVersionMajor: 1, httpVersionMinor: 1, socket, connection: socket });
  if (body !== undefined) req.push(Buffer.from(body));
  req.push(null);
  return req as unknown as IncomingMessage;
}

/** What the emulators use of a ServerResponse, collecting the answer instead of writing it to a socket. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  writableFinished = false;
  writableEnded = false;
  private readonly head: Record<string, string | string[]> = {};
  private readonly chunks: Buffer[] = [];

  constructor(private readonly done: (status: number, headers: IncomingHttpHeaders, chunks: Buffer[]) => void, private readonly dropped: () => void) {
    super();
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.head[name.toLowerCase()] = Array.isArray(value) ? [...value] as string[] : String(value);
    return this;
  }

  getHeader(name: string): string | string[] | undefined {
    return this.head[name.toLowerCase()];
  }

  removeHeader(name: string): void {
    delete this.head[name.toLowerCase()];
  }

  hasHeader(name: string): boolean {
    return name.toLowerCase() in this.head;
  }

  writeHead(status: number, a?: string | OutgoingHttpHeaders, b?: OutgoingHttpHeaders): this {
    this.statusCode = status;
    const headers = typeof a === 'object' ? a : b;
    for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) this.setHeader(k, v as string | number | readonly string[]);
    this.headersSent = true;
    return this;
  }

  write(chunk: string | Buffer): boolean {
    this.headersSent = true;
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return true;
  }

  end(chunk?: string | Buffer | (() => void)): this {
    if (this.writableEnded) return this;
    if (chunk !== undefined && typeof chunk !== 'function') this.write(chunk);
    this.headersSent = true;
    this.writableEnded = true;
    this.writableFinished = true;
    this.done(this.statusCode, { ...this.head }, this.chunks);
    this.emit('finish');
    this.emit('close');
    return this;
  }

  destroy(): this {
    if (!this.writableEnded) {
      this.writableEnded = true;
      this.dropped();
      this.emit('close');
    }
    return this;
  }
}
