// The bridge's own small HTTP client for the backends (step-ca over HTTPS pinned to its root,
// Keycloak, RabbitMQ, hawkBit and ThingsBoard over HTTP): like the real bridge it knows them only
// through their public APIs. A backend served by this sandbox process is called in memory
// (kit/in-process.ts), others over keep-alive sockets.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { dispatchInProcess, inProcessListener } from '../kit/in-process.js';
import { INTERNAL_HOP_HEADER, INTERNAL_HOP_TOKEN } from '../kit/internal-hop.js';
import { UnreachableError } from './errors.js';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body, undefined when the body is empty or not JSON. */
  json: unknown;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** Objects are sent as JSON, URLSearchParams as a form, strings as they are. */
  body?: unknown;
}

/** The upstream clients use 10 s timeouts (hawkBit, httpx defaults elsewhere are 5 s). */
const TIMEOUT_MS = 10_000;

export class HttpClient {
  private readonly agent: HttpAgent | HttpsAgent;

  /**
   * `ca`: the PEM roots an HTTPS backend's certificate must chain to (step-ca's root).
   * `outsideStack`: the caller stands for a remote client (the device simulator), so fault
   * injection applies to it; the bridge's own calls stay inside the stack.
   */
  constructor(readonly service: string, readonly baseUrl: string, ca?: string, private readonly outsideStack = false) {
    const https = baseUrl.startsWith('https:');
    this.agent = https ? new HttpsAgent({ keepAlive: true, ...(ca ? { ca } : {}) }) : new HttpAgent({ keepAlive: true });
  }

  url(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  call(method: string, path: string, o: CallOptions = {}): Promise<HttpReply> {
    const target = new URL(this.url(path));
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (!this.outsideStack) headers[INTERNAL_HOP_HEADER] = INTERNAL_HOP_TOKEN;
    let payload: string | undefined;
    if (o.body instanceof URLSearchParams) {
      payload = o.body.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (typeof o.body === 'string') {
      payload = o.body;
    } else if (o.body !== undefined) {
      payload = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    const inProcess = this.outsideStack ? undefined : inProcessListener(target);
    if (inProcess) {
      return dispatchInProcess(inProcess, target, method, headers, payload, TIMEOUT_MS).then(
        (r) => reply(r.status, r.headers, r.body),
        (err: Error) => { throw new UnreachableError(this.service, err.message); },
      );
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<HttpReply>((resolve, reject) => {
      const req = send(target, { method, headers, agent: this.agent, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new UnreachableError(this.service, err.message)));
        res.on('end', () => resolve(reply(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${TIMEOUT_MS} ms`)));
      req.on('error', (err) => reject(new UnreachableError(this.service, err.message)));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function reply(status: number, headers: IncomingHttpHeaders, body: Buffer): HttpReply {
  const text = body.toString('utf8');
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status, headers, text, json };
}

/** The backend's own message for an error reply, for the bridge's `detail` text. */
export function describe(reply: HttpReply): string {
  const j = reply.json as Record<string, unknown> | undefined;
  const msg = j && (j['message'] ?? j['errorMessage'] ?? j['error_description'] ?? j['error'] ?? j['reason']);
  const text = typeof msg === 'string' ? msg : reply.text.slice(0, 200);
  return `HTTP ${reply.status}${text ? `: ${text}` : ''}`;
}
