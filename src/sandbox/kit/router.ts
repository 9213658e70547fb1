// A tiny method + path router for the emulators. Emulators are a separate world: this file,
// and everything under src/sandbox/, imports nothing from the CLI's clients or workflows.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path without query string, already percent-decoded per segment into params. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Raw body (read once, cached). */
  body(): Promise<Buffer>;
  /** Body as UTF-8 text. */
  text(): Promise<string>;
  /** Lower-cased request header. */
  header(name: string): string | undefined;
  /** Send a response; objects are JSON-encoded with `application/json`. */
  send(status: number, body?: unknown, headers?: Record<string, string | string[]>): void;
}

export type RouteHandler = (ctx: RequestContext) => void | Promise<void>;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    return this;
  }
  get(p: string, h: RouteHandler): this { return this.add('GET', p, h); }
  post(p: string, h: RouteHandler): this { return this.add('POST', p, h); }
  put(p: string, h: RouteHandler): this { return this.add('PUT', p, h); }
  delete(p: string, h: RouteHandler): this { return this.add('DELETE', p, h); }

  /**
   * Finds the route for a request. Returns `undefined` when no pattern matches the path,
   * `'method'` when the path exists under another method (callers answer 405 as their server would).
   */
  match(method: string, path: string): { handler: RouteHandler; params: Record<string, string> } | 'method' | undefined {
    const parts = split(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method !== method.toUpperCase()) { pathMatched = true; continue; }
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith('*')) { // rest parameter: matches the remaining segments (at least one)
      if (i >= parts.length) return undefined;
      params[p.slice(1)] = parts.slice(i).map(safeDecode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (p.startsWith(':')) params[p.slice(1)] = safeDecode(part);
    else if (p !== part) return undefined;
  }
  return pattern.length === parts.length ? params : undefined;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** Builds the request context used by every emulator handler. */
export function createContext(req: IncomingMessage, res: ServerResponse, params: Record<string, string> = {}): RequestContext {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  let cached: Promise<Buffer> | undefined;
  const body = (): Promise<Buffer> => {
    cached ??= new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
    return cached;
  };
  return {
    req, res, params,
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    body,
    text: async () => (await body()).toString('utf8'),
    header: (name) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(', ') : v;
    },
    send: (status, payload, headers = {}) => {
      if (res.headersSent) return;
      let data: string | Buffer | undefined;
      const out: Record<string, string | string[]> = { ...headers };
      if (payload === undefined || payload === null) data = undefined;
      else if (Buffer.isBuffer(payload)) data = payload;
      else if (typeof payload === 'string') data = payload;
      else {
        data = JSON.stringify(payload);
        if (!hasHeader(out, 'content-type')) out['content-type'] = 'application/json';
      }
      if (data !== undefined) out['content-length'] = String(Buffer.byteLength(data));
      res.writeHead(status, out);
      res.end(data);
    },
  };
}

function hasHeader(h: Record<string, unknown>, name: string): boolean {
  return Object.keys(h).some((k) => k.toLowerCase() === name);
}
