// Fault injection for the sandbox (`cdm stack up --latency --error-rate --fault-seed`): lets
// scripts and the CLI's own retry logic meet the failures real backends produce, reproducibly.
// It applies to requests from outside a stack (cdm, curl, devices), not to the calls its services
// make to each other (internal-hop.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mulberry32 } from './rng.js';

export interface FaultOptions {
  /** Added before every response, faulted or not. */
  latencyMs?: number;
  /** Share of requests that fail, 0..1. */
  errorRate?: number;
  /** PRNG seed; the same seed and request order give the same faults. */
  seed?: number;
}

/** `unavailable` 503, `error` 500, `throttled` 429 with Retry-After, `dropped` connection reset. */
export type FaultKind = 'unavailable' | 'error' | 'throttled' | 'dropped';
export const FAULT_KINDS: readonly FaultKind[] = ['unavailable', 'error', 'throttled', 'dropped'];

/** Used when no seed is given, so an unseeded run is still reproducible. */
export const DEFAULT_FAULT_SEED = 1;

export interface FaultInjector {
  readonly latencyMs: number;
  /** The fault for the next request, or `undefined` to serve it normally. */
  next(): FaultKind | undefined;
}

export function createFaultInjector(opts: FaultOptions = {}): FaultInjector {
  const latencyMs = opts.latencyMs ?? 0;
  const errorRate = opts.errorRate ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`latencyMs must be a non-negative number, got ${latencyMs}`);
  if (!Number.isFinite(errorRate) || errorRate < 0 || errorRate > 1) throw new RangeError(`errorRate must be between 0 and 1, got ${errorRate}`);
  const random = mulberry32(opts.seed ?? DEFAULT_FAULT_SEED);
  return {
    latencyMs,
    next() {
      // Two draws per request, always, so a request's fault depends only on its position.
      const hit = random() < errorRate;
      const kind = FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)]!;
      return hit ? kind : undefined;
    },
  };
}

/** Answers a request with the fault; returns the status sent (0 for a dropped connection). */
export function applyFault(kind: FaultKind, req: IncomingMessage, res: ServerResponse): number {
  switch (kind) {
    case 'unavailable':
      return plain(res, 503, 'Service Unavailable (sandbox fault injection)\n');
    case 'error':
      return plain(res, 500, 'Internal Server Error (sandbox fault injection)\n');
    case 'throttled':
      return plain(res, 429, 'Too Many Requests (sandbox fault injection)\n', { 'retry-after': '1' });
    case 'dropped':
      // Destroying the socket mid-request is what a crashed backend or a reset proxy looks like.
      req.socket.destroy();
      return 0;
  }
}

function plain(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): number {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
  return status;
}
