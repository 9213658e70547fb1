// Wraps an admin handler: authenticate the bearer token, resolve the target realm (404/403), and
// drop expired sessions first so every admin view sees what Keycloak would. Pruning mutates the state
// in memory without a commit: expired data is invisible either way, the next real change persists it.
import type { RequestContext, RouteHandler } from '../kit/router.js';
import { authenticateAdmin, targetRealm, type AdminAuth } from './admin-auth.js';
import type { Kc } from './context.js';
import { pruneRealm } from './sessions.js';
import type { RealmRec } from './state.js';

export type AdminHandler = (ctx: RequestContext, auth: AdminAuth, realm: RealmRec) => void | Promise<void>;

export function inRealm(kc: Kc, handler: AdminHandler): RouteHandler {
  return async (ctx) => {
    const auth = await authenticateAdmin(kc, ctx);
    const realm = targetRealm(kc, auth, ctx.params['realm']);
    pruneRealm(realm, kc.now());
    await handler(ctx, auth, realm);
  };
}
