// Request dispatch: the relative path (`''` or `/auth`; only the configured form answers), the route
// table, and the translation of thrown KcErrors into Keycloak's response shapes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext, Router, type RequestContext } from '../kit/router.js';
import { authenticateAdmin, targetRealm } from './admin-auth.js';
import { registerClientRoutes } from './admin-clients.js';
import { registerEventRoutes } from './admin-events.js';
import { registerIdpImport } from './admin-idp-import.js';
import { registerIdpRoutes } from './admin-idps.js';
import { registerRealmRoutes } from './admin-realms.js';
import { registerRoleRoutes } from './admin-roles.js';
import { registerSessionRoutes } from './admin-sessions.js';
import { registerUserRoutes } from './admin-users.js';
import { publicRealm, type Kc } from './context.js';
import { deviceAuthorization, verificationPage, verificationSubmit } from './device.js';
import { certs, discovery, realmInfo } from './discovery.js';
import { jaxrs, KcError } from './errors.js';
import { tokenEndpoint } from './grants.js';
import { introspect, logout, revoke, userinfo } from './oidc.js';

export function buildRouter(kc: Kc): Router {
  const r = new Router();
  const P = '/realms/:realm/protocol/openid-connect';
  r.get('/realms/:realm', (ctx) => realmInfo(kc, ctx));
  r.get('/realms/:realm/.well-known/openid-configuration', (ctx) => discovery(kc, ctx));
  r.get(`${P}/certs`, (ctx) => certs(kc, ctx));
  r.post(`${P}/token`, (ctx) => tokenEndpoint(kc, ctx));
  r.post(`${P}/auth/device`, (ctx) => deviceAuthorization(kc, ctx));
  r.get(`${P}/userinfo`, (ctx) => userinfo(kc, ctx));
  r.post(`${P}/userinfo`, (ctx) => userinfo(kc, ctx));
  r.post(`${P}/token/introspect`, (ctx) => introspect(kc, ctx));
  r.post(`${P}/revoke`, (ctx) => revoke(kc, ctx));
  r.get(`${P}/logout`, (ctx) => logout(kc, ctx));
  r.post(`${P}/logout`, (ctx) => logout(kc, ctx));
  r.get('/realms/:realm/device', (ctx) => verificationPage(kc, ctx));
  r.post('/realms/:realm/device', (ctx) => verificationSubmit(kc, ctx));
  registerRealmRoutes(r, kc);
  registerClientRoutes(r, kc);
  registerUserRoutes(r, kc);
  registerRoleRoutes(r, kc);
  registerIdpRoutes(r, kc);
  registerIdpImport(r, kc);
  registerSessionRoutes(r, kc);
  registerEventRoutes(r, kc);
  return r;
}

const NOT_FOUND_HTML = '<html><body><h1>Resource not found</h1></body></html>';

/** What Keycloak answers for a path no resource method handles. */
async function noRoute(kc: Kc, ctx: RequestContext, path: string): Promise<void> {
  const seg = path.split('/').filter(Boolean);
  if (seg[0] === 'admin' && seg[1] === 'realms') {
    // The admin root authenticates before it resolves anything below it.
    const auth = await authenticateAdmin(kc, ctx);
    if (seg[2] !== undefined) targetRealm(kc, auth, decodeURIComponent(seg[2]));
    throw jaxrs(404, 'HTTP 404 Not Found');
  }
  if (seg[0] === 'realms' && seg[1] !== undefined) {
    publicRealm(kc, decodeURIComponent(seg[1]));
    throw jaxrs(404, 'HTTP 404 Not Found');
  }
  ctx.send(404, NOT_FOUND_HTML, { 'content-type': 'text/html;charset=utf-8' });
}

export async function dispatch(kc: Kc, router: Router, rel: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  let path = url.pathname;
  if (rel) {
    // With --http-relative-path=/auth nothing is served outside it.
    if (path !== rel && !path.startsWith(`${rel}/`)) {
      createContext(req, res).send(404, NOT_FOUND_HTML, { 'content-type': 'text/html;charset=utf-8' });
      return;
    }
    path = path.slice(rel.length) || '/';
  }
  const match = router.match(req.method ?? 'GET', path);
  const ctx = createContext(req, res, match && match !== 'method' ? match.params : {});
  try {
    if (match === undefined) await noRoute(kc, ctx, path);
    else if (match === 'method') throw jaxrs(405, 'HTTP 405 Method Not Allowed');
    else await match.handler(ctx);
  } catch (err) {
    if (err instanceof KcError) ctx.send(err.status, err.body, err.headers);
    else {
      // Keycloak logs the cause and tells the client to consult the server log; so do we.
      process.stderr.write(`keycloak sandbox: ${req.method} ${path}: ${(err as Error).stack ?? String(err)}\n`);
      ctx.send(500, { error: 'unknown_error', error_description: 'For more on this error consult the server log.' });
    }
  }
}
