// The --verbose HTTP trace: curl-like `>` / `<` lines on stderr. Everything printed here goes
// through redact.ts first; bodies are redacted BEFORE truncation so a cut can never expose the
// tail of a secret whose head was recognised.

import { STATUS_CODES } from 'node:http';
import { redactBody, redactHeaders, redactUrl } from './redact.js';
import type { HttpHeaders } from './types.js';

/** Bodies longer than this are cut in the trace (after redaction). */
export const TRACE_BODY_LIMIT = 4096;

/** What the trace knows about a request body. */
export type TraceBody =
  | { kind: 'none' }
  | { kind: 'bytes'; data: Uint8Array | string }
  | { kind: 'stream' };

export interface Tracer {
  request(p: {
    service: string;
    method: string;
    url: string | URL;
    headers: Record<string, string>;
    body: TraceBody;
    attempt: number;
    maxAttempts: number;
  }): void;
  response(p: { status: number; headers: HttpHeaders; elapsedMs: number; body?: Buffer | 'stream' }): void;
  note(line: string): void;
}

const TEXTUAL = /json|^text\/|xml|x-www-form-urlencoded|pem|jose|jwt|javascript|yaml|problem/;

function headerValue(headers: HttpHeaders, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v.join(', ') : v;
  }
  return undefined;
}

/** Renders a body for the trace, or a placeholder for binary content. */
export function describeBody(data: Uint8Array | string, contentType: string | undefined): string {
  if (typeof data === 'string') return truncate(redactBody(data, contentType));
  const ct = (contentType ?? '').toLowerCase();
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const textual = ct === '' ? !buf.subarray(0, 512).includes(0) : TEXTUAL.test(ct);
  if (!textual) return `[${buf.byteLength} bytes of ${ct || 'binary data'}]`;
  return truncate(redactBody(buf.toString('utf8'), contentType));
}

function truncate(text: string): string {
  if (text.length <= TRACE_BODY_LIMIT) return text;
  return `${text.slice(0, TRACE_BODY_LIMIT)}… [${text.length - TRACE_BODY_LIMIT} more characters]`;
}

function emitHeaders(out: (line: string) => void, prefix: string, headers: HttpHeaders): void {
  for (const [name, value] of Object.entries(redactHeaders(headers))) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out(`${prefix} ${name}: ${v}`);
  }
}

function emitBody(out: (line: string) => void, prefix: string, text: string): void {
  out(prefix);
  for (const line of text.split('\n')) out(`${prefix} ${line}`);
}

export function createTracer(out: (line: string) => void): Tracer {
  return {
    request({ service, method, url, headers, body, attempt, maxAttempts }) {
      const retry = attempt > 1 ? ` (attempt ${attempt}/${maxAttempts})` : '';
      out(`> ${method} ${redactUrl(url)} [${service}]${retry}`);
      emitHeaders(out, '>', headers);
      if (body.kind === 'stream') emitBody(out, '>', '[streamed body]');
      else if (body.kind === 'bytes') emitBody(out, '>', describeBody(body.data, headerValue(headers, 'content-type')));
    },
    response({ status, headers, elapsedMs, body }) {
      out(`< ${status} ${STATUS_CODES[status] ?? ''} (${Math.round(elapsedMs)} ms)`.replace('  (', ' ('));
      emitHeaders(out, '<', headers);
      if (body === 'stream') emitBody(out, '<', '[streamed body]');
      else if (body !== undefined && body.byteLength > 0) {
        emitBody(out, '<', describeBody(body, headerValue(headers, 'content-type')));
      }
    },
    note(line) {
      out(`* ${line}`);
    },
  };
}
