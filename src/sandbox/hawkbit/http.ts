// Request/response helpers shared by the hawkBit routes: JSON bodies (unreadable → notReadable),
// path ids, the empty 204 of void operations, and Spring Boot's own error body for the failures
// hawkBit does not map (unknown path, wrong method, non-numeric path id).
import type { RequestContext } from '../kit/router.js';
import { HbError, notReadable } from './errors.js';

/** The parsed JSON body; broken JSON → 400 notReadable (HttpMessageNotReadableException). */
export async function readJson(ctx: RequestContext): Promise<unknown> {
  const text = await ctx.text();
  if (text.trim() === '') throw notReadable(); // Spring: "Required request body is missing"
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw notReadable();
  }
}

export async function readObject(ctx: RequestContext): Promise<Record<string, unknown>> {
  const body = await readJson(ctx);
  if (!isObject(body)) throw notReadable();
  return body;
}

export async function readArray(ctx: RequestContext): Promise<unknown[]> {
  const body = await readJson(ctx);
  if (!Array.isArray(body)) throw notReadable();
  return body;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Field readers: wrong JSON types fail deserialisation (notReadable), as Jackson does. */
export function str(o: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw notReadable();
    return undefined;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v); // Jackson coerces scalars to String
  throw notReadable();
}

export function num(o: Record<string, unknown>, key: string, required = false): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw notReadable();
    return undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v); // Jackson accepts numeric strings
  throw notReadable();
}

export function bool(o: Record<string, unknown>, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw notReadable();
}

/** A numeric path id; anything else is Spring's MethodArgumentTypeMismatch → 400 with Spring's body. */
export function pathId(ctx: RequestContext, name: string): number {
  const raw = ctx.params[name] ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw new SpringError(400, 'Bad Request', ctx.path);
  return Number(raw);
}

/** A "void" operation: 204 in hawkBit ≥0.10 / 1.x (≤0.9 answered 200 with an empty body). */
export function noContent(ctx: RequestContext): void {
  ctx.send(204);
}

/** Spring Boot's default error body (BasicErrorController) for errors outside hawkBit's handler. */
export class SpringError extends Error {
  constructor(readonly status: number, readonly error: string, readonly path: string) {
    super(error);
  }
}

export function sendError(ctx: RequestContext, err: HbError | SpringError, now: number): void {
  if (err instanceof HbError) return ctx.send(err.status, err.body());
  ctx.send(err.status, { timestamp: new Date(now).toISOString(), status: err.status, error: err.error, path: err.path });
}
