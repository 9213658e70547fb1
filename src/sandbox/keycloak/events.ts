// Login events and admin events: recorded when the realm's configuration says so, and queried with
// the filters of `GET /admin/realms/{r}/events` and `/admin-events` (reference §1.3 "Events").
import { randomUUID } from 'node:crypto';
import { jaxrs, oauthError } from './errors.js';
import type { AdminEventRec, EventRec, RealmRec } from './state.js';

const BASE_TYPES = [
  'LOGIN', 'LOGOUT', 'CODE_TO_TOKEN', 'CLIENT_LOGIN', 'REFRESH_TOKEN', 'INTROSPECT_TOKEN', 'USER_INFO_REQUEST',
  'UPDATE_PASSWORD', 'UPDATE_PROFILE', 'UPDATE_EMAIL', 'REGISTER', 'REVOKE_GRANT', 'TOKEN_EXCHANGE',
  'OAUTH2_DEVICE_AUTH', 'OAUTH2_DEVICE_VERIFY_USER_CODE', 'OAUTH2_DEVICE_CODE_TO_TOKEN', 'PERMISSION_TOKEN',
  'IDENTITY_PROVIDER_LOGIN', 'IDENTITY_PROVIDER_FIRST_LOGIN', 'IDENTITY_PROVIDER_LINK_ACCOUNT', 'SEND_RESET_PASSWORD',
  'RESET_PASSWORD', 'REMOVE_TOTP', 'UPDATE_TOTP', 'VERIFY_EMAIL', 'CUSTOM_REQUIRED_ACTION', 'EXECUTE_ACTIONS',
  'CLIENT_INFO', 'CLIENT_REGISTER', 'CLIENT_UPDATE', 'CLIENT_DELETE', 'GRANT_CONSENT', 'UPDATE_CONSENT',
  'VALIDATE_ACCESS_TOKEN', 'USER_DISABLED_BY_PERMANENT_LOCKOUT', 'USER_DISABLED_BY_TEMPORARY_LOCKOUT',
];
/** EventType names (each also has an `_ERROR` twin), for validating the `type` filter and enabledEventTypes. */
export const EVENT_TYPES = new Set(BASE_TYPES.flatMap((t) => [t, `${t}_ERROR`]));

/** Types Keycloak does not store unless listed explicitly (EventType.saveByDefault = false). */
const NOT_SAVED_BY_DEFAULT = new Set([
  'REFRESH_TOKEN', 'REFRESH_TOKEN_ERROR', 'INTROSPECT_TOKEN', 'INTROSPECT_TOKEN_ERROR', 'USER_INFO_REQUEST',
  'USER_INFO_REQUEST_ERROR', 'PERMISSION_TOKEN', 'CLIENT_INFO', 'CLIENT_INFO_ERROR', 'VALIDATE_ACCESS_TOKEN', 'VALIDATE_ACCESS_TOKEN_ERROR',
]);
export const DEFAULT_SAVED_TYPES = [...EVENT_TYPES].filter((t) => !NOT_SAVED_BY_DEFAULT.has(t)).sort();

export type EventInput = Omit<EventRec, 'id' | 'time' | 'realmId'>;

/** Stores a login event if events are enabled and the type is enabled (empty list = saved-by-default types). */
export function recordEvent(realm: RealmRec, nowMs: number, e: EventInput): void {
  const s = realm.settings;
  if (!s.eventsEnabled) return;
  const enabled = s.enabledEventTypes.length > 0 ? s.enabledEventTypes.includes(e.type) : !NOT_SAVED_BY_DEFAULT.has(e.type);
  if (!enabled) return;
  realm.events.push({ id: randomUUID(), time: nowMs, realmId: realm.id, ...stripUndefined(e) });
}

export interface AdminActor { realmId: string; clientId: string; userId: string; ipAddress: string }

export function recordAdminEvent(
  realm: RealmRec, nowMs: number, actor: AdminActor, operationType: AdminEventRec['operationType'],
  resourceType: string, resourcePath: string, representation?: unknown,
): void {
  if (!realm.settings.adminEventsEnabled) return;
  const ev: AdminEventRec = { id: randomUUID(), time: nowMs, realmId: realm.id, authDetails: actor, operationType, resourceType, resourcePath };
  // The representation is a JSON *string*, present only with adminEventsDetailsEnabled.
  if (realm.settings.adminEventsDetailsEnabled && representation !== undefined) ev.representation = JSON.stringify(representation);
  realm.adminEvents.push(ev);
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** `yyyy-MM-dd` (UTC day) or, since 26.2, epoch millis. dateTo is inclusive of its whole day. */
function parseDate(value: string | null, which: 'From' | 'To'): number | undefined {
  if (value === null || value === '') return undefined;
  if (/^\d+$/.test(value) && value.length > 8) return Number(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (Number.isNaN(t)) throw jaxrs(400, `Invalid value for 'Date(${which})', expected format is yyyy-MM-dd`);
  return which === 'To' ? t + 86_400_000 - 1 : t;
}

function page<T>(items: T[], q: URLSearchParams, defaultMax: number | undefined): T[] {
  const first = Math.max(0, Number(q.get('first') ?? 0) || 0);
  const rawMax = q.get('max');
  const max = rawMax === null ? defaultMax : Number(rawMax);
  return max === undefined || max < 0 || Number.isNaN(max) ? items.slice(first) : items.slice(first, first + max);
}

/** Newest first unless `direction=asc` (26.2+). */
function order<T extends { time: number }>(items: T[], q: URLSearchParams): T[] {
  const asc = (q.get('direction') ?? 'desc').toLowerCase() === 'asc';
  return [...items].sort((a, b) => (asc ? a.time - b.time : b.time - a.time));
}

export function queryEvents(realm: RealmRec, q: URLSearchParams): EventRec[] {
  const types = q.getAll('type');
  // Keycloak fails the enum parse for an unknown type (400 in recent versions).
  for (const t of types) if (!EVENT_TYPES.has(t)) throw oauthError(400, 'unknown_error');
  const from = parseDate(q.get('dateFrom'), 'From');
  const to = parseDate(q.get('dateTo'), 'To');
  const client = q.get('client'), user = q.get('user'), ip = q.get('ipAddress');
  const hits = realm.events.filter((e) =>
    (types.length === 0 || types.includes(e.type)) &&
    (!client || e.clientId === client) && (!user || e.userId === user) && (!ip || e.ipAddress === ip) &&
    (from === undefined || e.time >= from) && (to === undefined || e.time <= to));
  return page(order(hits, q), q, 100);
}

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'ACTION']);

export function queryAdminEvents(realm: RealmRec, q: URLSearchParams): AdminEventRec[] {
  const ops = q.getAll('operationTypes');
  for (const o of ops) if (!OPERATIONS.has(o)) throw oauthError(400, 'unknown_error');
  const resTypes = q.getAll('resourceTypes');
  const from = parseDate(q.get('dateFrom'), 'From');
  const to = parseDate(q.get('dateTo'), 'To');
  const path = q.get('resourcePath');
  // resourcePath uses `*` as SQL LIKE's `%`.
  const pathRe = path ? new RegExp(`^${path.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`) : undefined;
  const realmId = q.get('authRealm'), clientId = q.get('authClient'), userId = q.get('authUser'), ip = q.get('authIpAddress');
  const hits = realm.adminEvents.filter((e) =>
    (ops.length === 0 || ops.includes(e.operationType)) &&
    (resTypes.length === 0 || resTypes.includes(e.resourceType)) &&
    (!pathRe || pathRe.test(e.resourcePath)) &&
    (!realmId || e.authDetails.realmId === realmId) && (!clientId || e.authDetails.clientId === clientId) &&
    (!userId || e.authDetails.userId === userId) && (!ip || e.authDetails.ipAddress === ip) &&
    (from === undefined || e.time >= from) && (to === undefined || e.time <= to));
  return page(order(hits, q), q, 100);
}
