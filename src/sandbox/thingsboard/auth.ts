// Authentication (B.1): POST /api/auth/login and /api/auth/token answer a fresh token pair,
// /api/auth/logout outdates the session's tokens, /api/auth/user describes the caller. Every
// other /api call passes the JWT filter first: `X-Authorization: Bearer <jwt>`, or, when that
// header is blank, `Authorization: Bearer <jwt>` (the extractor just drops the first 7 characters).
import { randomUUID } from 'node:crypto';
import type { RequestContext, Router } from '../kit/router.js';
import { anyUser, isObject, ok, okEmpty, type Caller, type Tb } from './api.js';
import { byCaller, logAction } from './audit.js';
import { authFailed, badCredentials, TbError, tokenExpired } from './errors.js';
import { createTokenPair, verifyToken } from './jwt.js';
import { verifyPassword } from './passwords.js';
import { entityId, findUser, NULL_UUID, type UserRec } from './state.js';

const METHOD_NOT_SUPPORTED = (): TbError => new TbError({ kind: 'json', status: 401, errorCode: 10, message: 'Authentication method not supported' });
/** What RestAuthenticationProvider throws for a wrong password; the audit log keeps it as the failure details. */
const BAD_PASSWORD_DETAILS = 'org.springframework.security.authentication.BadCredentialsException: Authentication Failed. Username or Password not valid.';

/** The JWT filter: the caller of an /api request, or the 401 ThingsBoard answers. */
export async function authenticate(ctx: RequestContext, tb: Tb): Promise<Caller> {
  const header = nonBlank(ctx.header('x-authorization')) ?? nonBlank(ctx.header('authorization'));
  if (!header) throw authFailed();
  const claims = await verifyToken(tb.store.state.signingKey, header.slice(7), tb.now());
  if (claims.scopes[0] === 'REFRESH_TOKEN') throw badCredentials();
  if (tb.store.state.loggedOutSessions.includes(claims.sessionId)) throw tokenExpired();
  const user = findUser(tb.store.state, claims.userId);
  if (!user) throw badCredentials();
  return { user, sessionId: claims.sessionId };
}

const nonBlank = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v : undefined);

async function readCredentials(ctx: RequestContext): Promise<Record<string, unknown>> {
  try {
    const body = JSON.parse(await ctx.text()) as unknown;
    return isObject(body) ? body : {};
  } catch {
    // RestLoginProcessingFilter: "Invalid login request payload" → AuthenticationServiceException → "Authentication failed".
    throw authFailed();
  }
}

/** Audit data of LOGIN/LOGOUT: client address and what the User-Agent says (ua-parser would name "Other" what it cannot parse). */
function clientInfo(ctx: RequestContext): Record<string, string> {
  const ua = ctx.header('user-agent') ?? '';
  const product = /^([^/\s]+)(?:\/(\d+(?:\.\d+)?))?/.exec(ua);
  return {
    clientAddress: ctx.header('x-forwarded-for')?.split(',')[0]?.trim() ?? ctx.req.socket.remoteAddress ?? 'Unknown',
    browser: product ? [product[1], product[2]].filter(Boolean).join(' ') : 'Unknown',
    os: 'Unknown',
    device: 'Unknown',
  };
}

export async function login(ctx: RequestContext, tb: Tb): Promise<void> {
  if (ctx.method !== 'POST') throw METHOD_NOT_SUPPORTED();
  const body = await readCredentials(ctx);
  const username = typeof body['username'] === 'string' ? body['username'] : '';
  const password = typeof body['password'] === 'string' ? body['password'] : '';
  if (!username || !password) throw authFailed();
  const user = tb.store.state.users.find((u) => u.email === username.toLowerCase());
  if (!user) throw badCredentials();
  const audit = { user, entity: entityId('USER', user.id), entityName: user.email, actionType: 'LOGIN' as const, actionData: clientInfo(ctx) };
  if (!(await verifyPassword(password, user.passwordHash))) {
    // Logged as a patch: a whole-state write per login costs seconds with a large fleet.
    tb.store.patch((s, touch) => logAction(s, tb.now(), { ...audit, failure: BAD_PASSWORD_DETAILS }, touch));
    throw badCredentials();
  }
  const pair = await createTokenPair(tb.store.state.signingKey, user, randomUUID(), tb.now());
  tb.store.patch((s, touch) => logAction(s, tb.now(), audit, touch));
  ok(ctx, pair);
}

export async function refresh(ctx: RequestContext, tb: Tb): Promise<void> {
  if (ctx.method !== 'POST') throw METHOD_NOT_SUPPORTED();
  const body = await readCredentials(ctx);
  const raw = body['refreshToken'];
  if (typeof raw !== 'string' || raw.trim() === '') throw authFailed();
  const claims = await verifyToken(tb.store.state.signingKey, raw, tb.now());
  if (claims.scopes[0] !== 'REFRESH_TOKEN') throw badCredentials();
  if (tb.store.state.loggedOutSessions.includes(claims.sessionId)) throw tokenExpired();
  const user = findUser(tb.store.state, claims.userId);
  if (!user) throw badCredentials();
  ok(ctx, await createTokenPair(tb.store.state.signingKey, user, claims.sessionId, tb.now()));
}

export function renderUser(u: UserRec): Record<string, unknown> {
  return {
    id: entityId('USER', u.id),
    createdTime: u.createdTime,
    tenantId: entityId('TENANT', u.tenantId),
    customerId: entityId('CUSTOMER', NULL_UUID),
    email: u.email,
    authority: u.authority,
    firstName: u.firstName,
    lastName: u.lastName,
    phone: null,
    name: u.email,
    additionalInfo: {},
    version: 1,
  };
}

export function registerAuthRoutes(router: Router, tb: Tb): void {
  router.get('/api/auth/user', anyUser((ctx, caller) => ok(ctx, renderUser(caller.user))));
  router.post('/api/auth/logout', anyUser((ctx, caller) => {
    tb.store.patch((s, touch) => {
      touch('loggedOutSessions', s.loggedOutSessions.push(caller.sessionId) - 1);
      logAction(s, tb.now(), byCaller(caller, { entity: entityId('USER', caller.user.id), entityName: caller.user.email, actionType: 'LOGOUT', actionData: clientInfo(ctx) }), touch);
    });
    okEmpty(ctx);
  }));
}
