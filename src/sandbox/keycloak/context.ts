// What every handler needs: the persisted store, the clock, and the public URLs (issuer base). The
// issuer is derived from the configured public URL, never from the request's Host header, like
// Keycloak with KC_HOSTNAME set: a token is only valid where its issuer says it was minted.
import type { RequestContext } from '../kit/router.js';
import type { JsonStore } from '../kit/store.js';
import { jaxrs, oauthError } from './errors.js';
import type { KcState, RealmRec } from './state.js';

export interface Kc {
  store: JsonStore<KcState>;
  /** Milliseconds since the epoch (injectable for tests). */
  now(): number;
  /** `{publicUrl}{relativePath}` — base of every URL the server hands out. */
  base: string;
}

export const issuerOf = (kc: Kc, realmName: string): string => `${kc.base}/realms/${encodeURIComponent(realmName)}`;
export const oidcBase = (kc: Kc, realmName: string): string => `${issuerOf(kc, realmName)}/protocol/openid-connect`;
export const nowSec = (kc: Kc): number => Math.floor(kc.now() / 1000);

/** Public (non-admin) realm endpoints answer an unknown realm with this 404. */
export function publicRealm(kc: Kc, name: string | undefined): RealmRec {
  const realm = name === undefined ? undefined : kc.store.state.realms[name];
  if (!realm) throw jaxrs(404, 'Realm does not exist');
  return realm;
}

/** Token and device endpoints of a disabled realm refuse every request (TokenEndpoint.checkRealm). */
export function requireEnabled(realm: RealmRec): void {
  if (!realm.settings.enabled) throw oauthError(403, 'access_denied', 'Realm not enabled');
}

/** Client address as Keycloak records it in events and sessions. */
export function clientIp(ctx: RequestContext): string {
  const ip = ctx.req.socket.remoteAddress ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
