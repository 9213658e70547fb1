// Source `hawkbit`: the action history of the Management API, `GET /rest/v1/actions` paged
// (offset/limit) in creation order (`sort=id:ASC`), one event per action at its creation, with
// its current status. hawkBit filters actions by FIQL fields that have no creation time in every
// version, so --since/--until apply locally.
import type { HttpClient } from '../../../http/types.js';
import { hawkbitError } from '../../../services/hawkbit/bootstrap.js';
import { timed, type AuditQuery, type Outcome, type Timed } from '../event.js';

const PAGE = 500;

interface ActionRep {
  id: number;
  type?: string;
  status?: string;
  active?: boolean;
  forceType?: string;
  createdBy?: string;
  createdAt: number;
  lastModifiedAt?: number;
  lastStatusCode?: number;
  rollout?: number;
  rolloutName?: string;
  _links?: { target?: { href?: string; name?: string }; distributionset?: { href?: string; name?: string } };
}

function outcomeOf(status: string | undefined): Outcome {
  switch (status) {
    case 'finished': return 'success';
    case 'error': return 'failure';
    case 'canceled': return 'interrupted';
    default: return 'pending';
  }
}

export function hawkbitEvent(a: ActionRep, tenant: string | null): Timed {
  const target = a._links?.target?.name ?? decodeURIComponent(/\/targets\/([^/]+)/.exec(a._links?.target?.href ?? '')?.[1] ?? '');
  const details: Record<string, unknown> = { actionId: a.id, status: a.status ?? '' };
  if (a._links?.distributionset?.name) details['distributionSet'] = a._links.distributionset.name;
  if (a.forceType) details['forceType'] = a.forceType;
  if (a.lastStatusCode !== undefined) details['lastStatusCode'] = a.lastStatusCode;
  if (a.rolloutName) details['rollout'] = a.rolloutName;
  if (a.lastModifiedAt !== undefined) details['lastModifiedAt'] = new Date(a.lastModifiedAt).toISOString();
  return timed(a.createdAt, {
    source: 'hawkbit', tenant, actor: a.createdBy ?? '', action: `action.${a.type ?? 'update'}`, target, outcome: outcomeOf(a.status), details,
  });
}

export async function* hawkbitPages(http: HttpClient, url: string, creds: { username: string; password: string }, tenant: string | null, q: AuditQuery): AsyncGenerator<Timed[]> {
  const base = `${url.replace(/\/+$/, '')}/rest/v1`;
  const auth = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  for (let offset = 0; ;) {
    const res = await http.request({
      service: 'hawkbit', method: 'GET', url: `${base}/actions`, headers: { authorization: auth, accept: 'application/json' },
      query: { offset, limit: PAGE, sort: 'id:ASC', representation: 'full' },
    });
    if (res.status !== 200) throw hawkbitError(res, 'read hawkBit actions');
    const body = res.json<{ content: ActionRep[]; total?: number }>();
    const content = Array.isArray(body.content) ? body.content : [];
    yield content.map((a) => hawkbitEvent(a, tenant)).filter((e) => (q.since === undefined || e.ms >= q.since) && (q.until === undefined || e.ms <= q.until));
    offset += content.length;
    if (content.length < PAGE || (body.total !== undefined && offset >= body.total)) return;
  }
}
