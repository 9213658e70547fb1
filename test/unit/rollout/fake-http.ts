// An in-memory HttpClient for hawkBit/ThingsBoard client tests: each request is recorded and
// answered by a handler, so tests see exactly what the client sent (method, URL, query, body).
import type { HttpClient, HttpRequest, HttpResponse, StreamResponse } from '../../../src/http/types.js';

export interface Sent {
  method: string;
  url: URL;
  headers: Record<string, string>;
  json?: unknown;
  body?: HttpRequest['body'];
}

export type Reply = { status: number; json?: unknown; text?: string };

export function response(status: number, payload: unknown, url: string): HttpResponse {
  const text = payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    status, headers: {}, body: Buffer.from(text), url, attempts: 1,
    text: () => text,
    json: <T>() => JSON.parse(text) as T,
  };
}

export function fakeHttp(handler: (req: Sent) => Reply): HttpClient & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    request(req: HttpRequest): Promise<HttpResponse> {
      const url = new URL(String(req.url));
      for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
      const s: Sent = { method: req.method, url, headers: req.headers ?? {}, ...(req.json !== undefined ? { json: req.json } : {}), ...(req.body !== undefined ? { body: req.body } : {}) };
      sent.push(s);
      const r = handler(s);
      return Promise.resolve(response(r.status, r.json ?? r.text, url.toString()));
    },
    stream(): Promise<StreamResponse> {
      return Promise.reject(new Error('not used'));
    },
    close: () => Promise.resolve(),
  };
}
