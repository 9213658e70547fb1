// Source `thingsboard`: the tenant administrator's audit log, `GET /api/audit/logs` paged
// (pageSize/page) oldest first (sortProperty=createdTime&sortOrder=ASC) within startTime/endTime.
// Login, token refresh and paging through the shared ThingsboardClient.
import type { HttpClient } from '../../../http/types.js';
import { ThingsboardClient } from '../../../services/thingsboard/client.js';
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
  const tb = new ThingsboardClient(http, url, creds);
  const query = { sortProperty: 'createdTime', sortOrder: 'ASC', startTime: q.since, endTime: q.until };
  for await (const page of tb.pages<AuditLogRep>('/api/audit/logs', 'read ThingsBoard audit logs', query, PAGE)) {
    yield page.map((a) => thingsboardEvent(a, tenant));
  }
}
