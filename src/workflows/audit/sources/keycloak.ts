// Source `keycloak`: login events and admin events of the context's realm, read with the context's
// own bearer token (the realm's `realm-admin`/`view-events` role). Paged with first/max; asked
// oldest first (`direction=asc`, Keycloak 26.2+). A server that ignores `direction` answers newest
// first: its pages are then gathered and reversed (memory grows with that realm's events only).
// dateFrom/dateTo are sent as whole days (what every version accepts); exact bounds apply locally.
import type { HttpClient } from '../../../http/types.js';
import { keycloakError } from '../../../services/keycloak/errors.js';
import { timed, type AuditQuery, type Timed } from '../event.js';

const PAGE = 100;

export interface KeycloakAuditTarget {
  http: HttpClient;
  /** `{kc}{rel}` (with `/auth` on legacy servers). */
  baseUrl: string;
  realm: string;
  token: () => Promise<string>;
  tenant: string | null;
}

interface EventRep { time: number; type: string; realmId?: string; clientId?: string; userId?: string; sessionId?: string; ipAddress?: string; error?: string; details?: Record<string, string> }
interface AdminEventRep { time: number; realmId?: string; authDetails?: { realmId?: string; clientId?: string; userId?: string; ipAddress?: string }; operationType: string; resourceType?: string; resourcePath?: string; error?: string }

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function loginEvent(e: EventRep, tenant: string | null, realm: string): Timed {
  const details: Record<string, unknown> = { realm };
  if (e.clientId) details['clientId'] = e.clientId;
  if (e.ipAddress) details['ipAddress'] = e.ipAddress;
  if (e.error) details['error'] = e.error;
  if (e.details) Object.assign(details, e.details);
  const actor = e.details?.['username'] ?? e.userId ?? e.clientId ?? '';
  return timed(e.time, {
    source: 'keycloak', tenant, actor, action: e.type, target: e.clientId ?? realm,
    outcome: e.type.endsWith('_ERROR') || e.error ? 'failure' : 'success', details,
  });
}

export function adminEvent(e: AdminEventRep, tenant: string | null, realm: string): Timed {
  const a = e.authDetails ?? {};
  const details: Record<string, unknown> = { realm };
  if (a.clientId) details['clientId'] = a.clientId;
  if (a.realmId) details['authRealm'] = a.realmId;
  if (a.ipAddress) details['ipAddress'] = a.ipAddress;
  if (e.error) details['error'] = e.error;
  return timed(e.time, {
    source: 'keycloak', tenant, actor: a.userId ?? a.clientId ?? '', action: `admin.${e.operationType}.${e.resourceType ?? 'UNKNOWN'}`,
    target: e.resourcePath ?? '', outcome: e.error ? 'failure' : 'success', details,
  });
}

async function* pages<T extends { time: number }>(t: KeycloakAuditTarget, path: 'events' | 'admin-events', q: AuditQuery, map: (e: T) => Timed): AsyncGenerator<Timed[]> {
  const url = `${t.baseUrl}/admin/realms/${encodeURIComponent(t.realm)}/${path}`;
  const query: Record<string, string | number> = { direction: 'asc', max: PAGE };
  if (q.since !== undefined) query['dateFrom'] = day(q.since);
  if (q.until !== undefined) query['dateTo'] = day(q.until);
  let first = 0;
  let descending: Timed[] | undefined;
  for (;;) {
    const res = await t.http.request({ service: 'keycloak', method: 'GET', url, headers: { authorization: `Bearer ${await t.token()}` }, query: { ...query, first } });
    if (res.status !== 200) throw keycloakError(res, `read ${path} of realm ${t.realm}`);
    const items = res.json<T[]>();
    if (!Array.isArray(items)) throw keycloakError(res, `read ${path} of realm ${t.realm}`);
    const page = items.map(map).filter((e) => (q.since === undefined || e.ms >= q.since) && (q.until === undefined || e.ms <= q.until));
    if (descending === undefined && items.length > 1 && items[0]!.time > items[items.length - 1]!.time) descending = [];
    if (descending) descending.push(...page);
    else yield page;
    if (items.length < PAGE) break;
    first += items.length;
  }
  if (descending) yield descending.reverse();
}

export function keycloakLoginPages(t: KeycloakAuditTarget, q: AuditQuery): AsyncGenerator<Timed[]> {
  return pages<EventRep>(t, 'events', q, (e) => loginEvent(e, t.tenant, t.realm));
}

/**
 * Admin events name their actor by user id: ids of users of this realm are turned into user names
 * (`GET /admin/realms/{r}/users/{id}`, once per id); others (master realm admins) stay ids.
 */
export async function* keycloakAdminPages(t: KeycloakAuditTarget, q: AuditQuery): AsyncGenerator<Timed[]> {
  const names = new Map<string, string | undefined>();
  const nameOf = async (id: string): Promise<string | undefined> => {
    if (names.has(id)) return names.get(id);
    let name: string | undefined;
    try {
      const res = await t.http.request({ service: 'keycloak', method: 'GET', url: `${t.baseUrl}/admin/realms/${encodeURIComponent(t.realm)}/users/${encodeURIComponent(id)}`, headers: { authorization: `Bearer ${await t.token()}` } });
      if (res.status === 200) name = res.json<{ username?: string }>().username;
    } catch {
      name = undefined; // an id that cannot be resolved stays an id
    }
    names.set(id, name);
    return name;
  };
  for await (const page of pages<AdminEventRep>(t, 'admin-events', q, (e) => adminEvent(e, t.tenant, t.realm))) {
    for (const e of page) {
      const id = e.event.actor;
      if (!/^[0-9a-f-]{36}$/i.test(id)) continue;
      const name = await nameOf(id);
      if (name !== undefined) {
        e.event.actor = name;
        e.event.details['userId'] = id;
      }
    }
    yield page;
  }
}
