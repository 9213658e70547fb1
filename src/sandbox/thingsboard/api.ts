// What every group of routes shares: the state, the clock, the authenticated caller of a request
// and the authority check, and the two success answers (JSON body, or 200 with no body).
import type { RequestContext, RouteHandler } from '../kit/router.js';
import type { JsonStore } from '../kit/store.js';
import { badRequest, permissionDenied } from './errors.js';
import type { Authority, TbState, UserRec } from './state.js';

export interface Caller { user: UserRec; sessionId: string }

export type RpcHandler = (method: string, params: unknown) => Promise<unknown>;

export interface Tb {
  store: JsonStore<TbState>;
  now(): number;
  /** state.defaultInactivityTimeoutInSec of thingsboard.yml, in ms. */
  activityTimeoutMs: number;
  /** server.rest.server_side_rpc.min_timeout (ms). */
  rpcMinTimeoutMs: number;
  /** Device name → the simulator's handler while that device is connected. */
  rpcHandlers: Map<string, RpcHandler>;
  /** Pending RPC timers, cleared on close. */
  timers: Set<NodeJS.Timeout>;
}

export type GuardedHandler = (ctx: RequestContext, caller: Caller) => void | Promise<void>;

const callers = new WeakMap<RequestContext, Caller>();

/** Set by the dispatcher once the JWT filter accepted the request (it runs before routing, as Spring Security does). */
export function setCaller(ctx: RequestContext, caller: Caller): void {
  callers.set(ctx, caller);
}

/** @PreAuthorize: device, alarm, telemetry, RPC and audit endpoints are tenant-level (TENANT_ADMIN in this emulator, which has no customers). */
export function guard(allowed: Authority[], handler: GuardedHandler): RouteHandler {
  return async (ctx) => {
    const caller = callers.get(ctx);
    if (!caller || !allowed.includes(caller.user.authority)) throw permissionDenied();
    await handler(ctx, caller);
  };
}

export const tenantOnly = (handler: GuardedHandler): RouteHandler => guard(['TENANT_ADMIN'], handler);
export const anyUser = (handler: GuardedHandler): RouteHandler => guard(['TENANT_ADMIN', 'SYS_ADMIN'], handler);

export function ok(ctx: RequestContext, body: unknown): void {
  ctx.send(200, JSON.stringify(body), { 'content-type': 'application/json' });
}

export function okEmpty(ctx: RequestContext): void {
  ctx.send(200, undefined, { 'content-length': '0' });
}

/** @RequestBody JSON: Spring's HttpMessageNotReadableException becomes 400 code 31 in ThingsBoard's handler. */
export async function jsonBody(ctx: RequestContext): Promise<unknown> {
  const raw = await ctx.text();
  if (raw.trim() === '') throw badRequest('Required request body is missing');
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw badRequest(`JSON parse error: ${(err as Error).message}`);
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
