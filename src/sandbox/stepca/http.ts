// Per-request plumbing: responses in step-ca's encoding (Go's json.Encoder: trailing newline,
// <>& escaped), error bodies, Go-like JSON body decoding, and the TLS client certificate.
import type { TLSSocket } from 'node:tls';
import type { RequestContext } from '../kit/router.js';
import { badRequest, type StepCaError } from './errors.js';
import type { LogValue } from './logger.js';
import { parseCsr, pemToDer, type ParsedCsr } from '../kit/certs/x509.js';
import { parseGoDuration, parseGoRfc3339 } from './duration.js';

export interface Scope {
  ctx: RequestContext;
  /** Extra fields for this request's log line. */
  fields: Record<string, LogValue>;
  status: number;
  size: number;
  /** DER of the client certificate presented over mTLS, when there is one. */
  peer?: Buffer;
  /** The client certificate is outside its validity period (newer step-ca lets renew report it). */
  peerExpired?: Date;
}

function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026') + '\n';
}

export function send(scope: Scope, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  scope.status = status;
  scope.size = Buffer.byteLength(body);
  scope.ctx.send(status, body, headers);
}

export function sendJson(scope: Scope, status: number, value: unknown): void {
  send(scope, status, goJson(value), { 'content-type': 'application/json' });
}

export function sendError(scope: Scope, err: StepCaError): void {
  scope.fields.error = err.detail;
  sendJson(scope, err.status, { status: err.status, message: err.publicMessage });
}

export function peerCertificate(ctx: RequestContext): Buffer | undefined {
  const socket = ctx.req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate(true);
  return cert && cert.raw && cert.raw.length ? cert.raw : undefined;
}

/** A time given as RFC 3339 or as a Go duration relative to "now" (api.TimeDuration). */
export type TimeDuration = { kind: 'time'; at: number } | { kind: 'duration'; ms: number } | undefined;

type FieldType = 'string' | 'int' | 'bool' | 'raw' | 'csr' | 'timeduration';
type Decoded<S extends Record<string, FieldType>> = {
  [K in keyof S]?: S[K] extends 'string' ? string : S[K] extends 'int' ? number : S[K] extends 'bool' ? boolean
    : S[K] extends 'csr' ? ParsedCsr : S[K] extends 'timeduration' ? TimeDuration : unknown;
};

function decodeField(type: FieldType, v: unknown): unknown {
  switch (type) {
    case 'string': if (typeof v !== 'string') throw new Error('expected string'); return v;
    case 'int': if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error('expected integer'); return v;
    case 'bool': if (typeof v !== 'boolean') throw new Error('expected boolean'); return v;
    case 'raw': return v;
    case 'csr': {
      if (typeof v !== 'string') throw new Error('expected string');
      const der = pemToDer(v, 'CERTIFICATE REQUEST')[0] ?? pemToDer(v, 'NEW CERTIFICATE REQUEST')[0];
      if (!der) throw new Error('error decoding csr');
      try { return parseCsr(der); } catch { throw new Error('error decoding csr'); }
    }
    case 'timeduration': {
      if (typeof v !== 'string') throw new Error('expected string');
      if (v === '') return undefined;
      // As api.TimeDuration: an RFC 3339 time first, then a duration.
      const at = parseGoRfc3339(v);
      if (at !== undefined) return { kind: 'time', at };
      const ms = parseGoDuration(v);
      if (ms === undefined) throw new Error(`failed to parse ${v}`);
      return { kind: 'duration', ms };
    }
  }
}

/**
 * Decodes the JSON body into the named fields like Go's encoding/json would into step-ca's
 * request struct: keys match case-insensitively, null leaves a field unset, unknown keys are
 * ignored, a wrong type fails the whole body (400 "error decoding json").
 */
export async function readJsonBody<S extends Record<string, FieldType>>(scope: Scope, schema: S): Promise<Decoded<S>> {
  const text = await scope.ctx.text();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('json: cannot unmarshal into request');
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const field = Object.keys(schema).find((f) => f.toLowerCase() === key.toLowerCase());
      if (!field || value === null) continue;
      out[field] = decodeField(schema[field]!, value);
    }
    return out as Decoded<S>;
  } catch (err) {
    throw badRequest(`error decoding json: ${(err as Error).message}`, 'error decoding json');
  }
}
