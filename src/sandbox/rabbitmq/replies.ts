// Response shapes of the RabbitMQ management API, as measured on 3.10.8
// (shared/reference/real-servers.md §2 and the conformance suite).
import type { RequestContext } from '../kit/router.js';

export const REALM_HEADER = { 'www-authenticate': 'Basic realm="RabbitMQ Management"' };

export function json(ctx: RequestContext, status: number, body: unknown): void {
  // GETs carry cache-control: no-cache on the real server; error bodies do not.
  const headers: Record<string, string> = status === 200 ? { 'cache-control': 'no-cache' } : {};
  ctx.send(status, body, headers);
}

/** 201/204/405 and friends: no body at all. */
export function empty(ctx: RequestContext, status: number, headers: Record<string, string> = {}): void {
  ctx.send(status, undefined, { ...headers, 'content-length': '0' });
}

export function notFound(ctx: RequestContext): void {
  ctx.send(404, { error: 'Object Not Found', reason: 'Not Found' });
}

export function badRequest(ctx: RequestContext, reason: unknown): void {
  ctx.send(400, { error: 'bad_request', reason });
}

/** Note the spelling: failed logins say "not_authorized", refusals of a logged-in user "not_authorised". */
export function loginFailed(ctx: RequestContext): void {
  ctx.send(401, { error: 'not_authorized', reason: 'Login failed' }, REALM_HEADER);
}

export function refused(ctx: RequestContext, reason: string): void {
  ctx.send(401, { error: 'not_authorised', reason });
}

/** Wrongly typed fields (a number where a string belongs) crash the real handler: 500, empty body. */
export function crashed(ctx: RequestContext): void {
  empty(ctx, 500);
}
