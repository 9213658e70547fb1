// Basic auth and the management plugin's user levels. A request first has to log in (401
// "Login failed" with a Basic challenge), then its user needs a management-level tag; some
// resources need `administrator`. Refusals of a logged-in user carry no challenge.
import type { RequestContext } from '../kit/router.js';
import { verifyPassword } from './passwords.js';
import { empty, loginFailed, refused, REALM_HEADER } from './replies.js';
import { lookup, type RabbitState } from './state.js';

export type Level = 'management' | 'administrator';

export interface Caller {
  name: string;
  tags: string[];
}

/** Tags that open the management API at all. */
const MANAGEMENT_TAGS = ['management', 'policymaker', 'monitoring', 'administrator'];

/** Authenticates and authorises; answers and returns `undefined` when the caller may not proceed. */
export function authorise(ctx: RequestContext, state: RabbitState, level: Level): Caller | undefined {
  const header = ctx.header('authorization');
  if (header === undefined) {
    // No credentials: a bare challenge, no body.
    empty(ctx, 401, REALM_HEADER);
    return undefined;
  }
  const credentials = parseBasic(header);
  if (credentials === 'malformed') {
    empty(ctx, 400);
    return undefined;
  }
  const user = credentials ? lookup(state.users, credentials.user) : undefined;
  if (!credentials || !user || !verifyPassword(user.password_hash, credentials.password)) {
    loginFailed(ctx);
    return undefined;
  }
  if (!user.tags.some((t) => MANAGEMENT_TAGS.includes(t))) {
    refused(ctx, 'Not management user');
    return undefined;
  }
  if (level === 'administrator' && !user.tags.includes('administrator')) {
    refused(ctx, 'Not administrator user');
    return undefined;
  }
  return { name: credentials.user, tags: user.tags };
}

/** Monitoring and administrator users see every vhost; the others only those they hold permissions on. */
export function seesAllVhosts(caller: Caller): boolean {
  return caller.tags.includes('administrator') || caller.tags.includes('monitoring');
}

/**
 * `undefined` for another scheme (the real server then fails the login), `'malformed'` for
 * a Basic header whose payload is not base64 (the real server answers a bare 400).
 */
function parseBasic(header: string): { user: string; password: string } | 'malformed' | undefined {
  const m = /^basic\s+(\S*)\s*$/i.exec(header);
  if (!m) return undefined;
  const payload = m[1] ?? '';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 === 1) return 'malformed';
  const decoded = Buffer.from(payload, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
