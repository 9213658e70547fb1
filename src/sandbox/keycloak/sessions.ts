// User sessions: created at login, touched on refresh, and expiring by idle timeout or max lifespan
// (realm ssoSessionIdleTimeout / ssoSessionMaxLifespan), which also bounds refresh-token lifetime.
import { randomUUID } from 'node:crypto';
import type { ClientRec, RealmRec, SessionRec, UserRec } from './state.js';

export function createSession(realm: RealmRec, user: UserRec, client: ClientRec, ip: string, nowMs: number): SessionRec {
  const session: SessionRec = { id: randomUUID(), userId: user.id, ipAddress: ip, start: nowMs, lastAccess: nowMs, clients: { [client.id]: client.clientId } };
  realm.sessions.push(session);
  return session;
}

/** Epoch ms at which the session stops being valid if nobody touches it again. */
export function sessionExpiry(realm: RealmRec, s: SessionRec): number {
  return Math.min(s.lastAccess + realm.settings.ssoSessionIdleTimeout * 1000, s.start + realm.settings.ssoSessionMaxLifespan * 1000);
}

export function activeSession(realm: RealmRec, id: string | undefined, nowMs: number): SessionRec | undefined {
  if (!id) return undefined;
  const s = realm.sessions.find((x) => x.id === id);
  return s && nowMs < sessionExpiry(realm, s) ? s : undefined;
}

/** Drops expired sessions and device codes past their retention (called before every mutation). */
export function pruneRealm(realm: RealmRec, nowMs: number): void {
  realm.sessions = realm.sessions.filter((s) => nowMs < sessionExpiry(realm, s));
  // Keycloak keeps device codes expires_in + interval + 10 s so late polls still get expired_token.
  realm.deviceCodes = realm.deviceCodes.filter((d) => nowMs < d.expiresAt + (d.interval + 10) * 1000);
  realm.revokedTokens = realm.revokedTokens.filter((t) => t.exp * 1000 > nowMs);
  const exp = realm.settings.eventsExpiration;
  if (exp && exp > 0) realm.events = realm.events.filter((e) => e.time > nowMs - exp * 1000);
}

export function removeSession(realm: RealmRec, id: string): boolean {
  const before = realm.sessions.length;
  realm.sessions = realm.sessions.filter((s) => s.id !== id);
  return realm.sessions.length !== before;
}
