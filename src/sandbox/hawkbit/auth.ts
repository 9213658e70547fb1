// Authentication of both hawkBit APIs. Management API: HTTP Basic on every /rest/** request;
// failure is Spring Security's bare 401 with `WWW-Authenticate: Basic realm="hawkBit"`
// (HawkbitSecurityProperties.basicRealm) and no ExceptionInfo body. DDI: the custom schemes
// `TargetToken <securityToken>` and `GatewayToken <key>` when enabled in the tenant configuration;
// failure is a bare 401 as well.
import { timingSafeEqual } from 'node:crypto';
import type { RequestContext } from '../kit/router.js';
import { lookup, type HbState } from './state.js';

export const MGMT_CHALLENGE = { 'www-authenticate': 'Basic realm="hawkBit"' };

export interface User { username: string; password: string }

/** The authenticated username, or `undefined` after answering the bare 401. */
export function basicAuth(ctx: RequestContext, users: User[]): string | undefined {
  const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(ctx.header('authorization') ?? '');
  if (m) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      const name = decoded.slice(0, colon);
      const password = decoded.slice(colon + 1);
      const user = users.find((u) => u.username === name);
      if (user && same(user.password, password)) return name;
    }
  }
  ctx.send(401, undefined, MGMT_CHALLENGE);
  return undefined;
}

export type DdiCaller = { kind: 'target' } | { kind: 'gateway' };

/**
 * Checks DDI credentials for `controllerId`. A target token only opens its own target (an
 * unknown controller therefore fails auth); a gateway token acts for any controller.
 */
export function ddiAuth(ctx: RequestContext, state: HbState, controllerId: string): DdiCaller | undefined {
  const header = ctx.header('authorization') ?? '';
  const m = /^(TargetToken|GatewayToken)\s+(\S+)\s*$/i.exec(header);
  if (m) {
    const scheme = m[1]!.toLowerCase();
    const token = m[2]!;
    if (scheme === 'targettoken' && state.config['authentication.targettoken.enabled']) {
      const target = lookup(state.targets, controllerId);
      if (target && same(target.securityToken, token)) return { kind: 'target' };
    }
    if (scheme === 'gatewaytoken' && state.config['authentication.gatewaytoken.enabled']) {
      const key = state.config['authentication.gatewaytoken.key'];
      if (key !== '' && same(key, token)) return { kind: 'gateway' };
    }
  }
  ctx.send(401);
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
