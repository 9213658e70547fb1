// Source `thingsboard`: the tenant administrator's audit log, `GET /api/audit/logs` paged
// (pageSize/page) oldest first (sortProperty=createdTime&sortOrder=ASC) within startTime/endTime.
// Login with the stored ThingsBoard credential (`POST /api/auth/login`), token in X-Authorization.
import type { HttpClient } from '../../../http/types.js';
import { thingsboardError } from '../../../services/thingsboard/errors.js';
import { timed, type AuditQuery, type Timed } from '../event.js';

const PAGE = 500;

interface AuditLogRep {
  createdTime: number;
  entityId?: { entityType?: string; id?: string };
  entityName?: string;
  userName?: string;
  actionType: string;
  actionData?: unknown;
  actionStatus?: string;
  actionFailureDetails?: string | null;
}

export function thingsboardEvent(a: AuditLogRep, tenant: string | null): Timed {
  const details: Record<string, unknown> = {};
  if (a.entityId?.entityType) details['entityType'] = a.entityId.entityType;
  if (a.entityId?.id) details['entityId'] = a.entityId.id;
  if (a.actionData !== undefined && a.actionData !== null) details['actionData'] = a.actionData;
  if (a.actionFailureDetails) details['failure'] = a.actionFailureDetails;
  return timed(a.createdTime, {
    source: 'thingsboard', tenant, actor: a.userName ?? '', action: a.actionType, target: a.entityName ?? '',
    outcome: a.actionStatus === 'FAILURE' ? 'failure' : 'success', details,
  });
}

export async function* thingsboardPages(http: HttpClient, url: string, creds: { username: string; password: string }, tenant: string | null, q: AuditQuery): AsyncGenerator<Timed[]> {
  const base = url.replace(/\/+$/, '');
  const login = await http.request({ service: 'thingsboard', method: 'POST', url: `${base}/api/auth/login`, json: { username: creds.username, password: creds.password } });
  if (login.status !== 200) throw thingsboardError(login, 'ThingsBoard login');
  const token = login.json<{ token: string }>().token;
  for (let page = 0; ; page++) {
    const res = await http.request({
      service: 'thingsboard', method: 'GET', url: `${base}/api/audit/logs`, headers: { 'x-authorization': `Bearer ${token}` },
      query: { pageSize: PAGE, page, sortProperty: 'createdTime', sortOrder: 'ASC', startTime: q.since, endTime: q.until },
    });
    if (res.status !== 200) throw thingsboardError(res, 'read ThingsBoard audit logs');
    const body = res.json<{ data: AuditLogRep[]; hasNext: boolean }>();
    yield body.data.map((a) => thingsboardEvent(a, tenant));
    if (!body.hasNext || body.data.length === 0) return;
  }
}
