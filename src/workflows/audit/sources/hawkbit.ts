// Source `hawkbit`: the action history of the Management API, `GET /rest/v1/actions` paged
// (offset/limit) in creation order (`sort=id:ASC`), one event per action at its creation, with
// its current status. hawkBit filters actions by FIQL fields that have no creation time in every
// version, so --since/--until apply locally. For one device (--device) the full history is read:
// that target's actions and each action's status entries (download, running, finished, error…, as
// the device reported them), sorted (one device's history is small).
import type { HttpClient } from '../../../http/types.js';
import { actionStatus, actionTarget, HawkbitClient } from '../../../services/hawkbit/client.js';
import { hawkbitError } from '../../../services/hawkbit/errors.js';
import { timed, type AuditQuery, type Outcome, type Timed } from '../event.js';

const PAGE = 500;

interface ActionRep {
  id: number;
  type?: string;
  status?: string;
  /** ≤0.9: how the action ended, where `status` only says pending|finished. */
  detailStatus?: string;
  active?: boolean;
  forceType?: string;
  createdBy?: string;
  createdAt: number;
  lastModifiedAt?: number;
  lastStatusCode?: number;
  rollout?: number;
  rolloutName?: string;
  _links?: { self?: { href?: string }; target?: { href?: string; name?: string }; distributionset?: { href?: string; name?: string } };
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
  // The device id joins the timeline's sources; the link's name is the target's display name.
  const target = actionTarget(a) ?? '';
  const status = actionStatus(a);
  const details: Record<string, unknown> = { actionId: a.id, status };
  const name = a._links?.target?.name;
  if (name && name !== target) details['targetName'] = name;
  if (a._links?.distributionset?.name) details['distributionSet'] = a._links.distributionset.name;
  if (a.forceType) details['forceType'] = a.forceType;
  if (a.lastStatusCode !== undefined) details['lastStatusCode'] = a.lastStatusCode;
  if (a.rolloutName) details['rollout'] = a.rolloutName;
  if (a.lastModifiedAt !== undefined) details['lastModifiedAt'] = new Date(a.lastModifiedAt).toISOString();
  return timed(a.createdAt, {
    source: 'hawkbit', tenant, actor: a.createdBy ?? '', action: `action.${a.type ?? 'update'}`, target, outcome: outcomeOf(status), details,
  });
}

export async function* hawkbitPages(http: HttpClient, url: string, creds: { username: string; password: string }, tenant: string | null, q: AuditQuery): AsyncGenerator<Timed[]> {
  const hb = new HawkbitClient(http, url, creds.username, creds.password);
  for (let offset = 0; ;) {
    const page = await hb.page<ActionRep>('/actions', 'read hawkBit actions', { offset, limit: PAGE, sort: 'id:ASC', representation: 'full' });
    yield page.content.map((a) => hawkbitEvent(a, tenant)).filter((e) => (q.since === undefined || e.ms >= q.since) && (q.until === undefined || e.ms <= q.until));
    offset += page.content.length;
    if (page.content.length < PAGE || offset >= page.total) return;
  }
}

interface StatusRep { id: number; type: string; messages?: string[]; reportedAt?: number; timestamp?: number; code?: number }

export function hawkbitStatusEvent(device: string, a: ActionRep, st: StatusRep, tenant: string | null): Timed {
  const outcome: Outcome = st.type === 'finished' ? 'success' : st.type === 'error' ? 'failure' : st.type === 'canceled' ? 'interrupted' : 'pending';
  const details: Record<string, unknown> = { actionId: a.id, statusId: st.id };
  if (st.messages && st.messages.length > 0) details['messages'] = st.messages;
  if (st.code !== undefined) details['code'] = st.code;
  if (a._links?.distributionset?.name) details['distributionSet'] = a._links.distributionset.name;
  return timed(st.reportedAt ?? st.timestamp ?? a.createdAt, { source: 'hawkbit', tenant, actor: device, action: `action.status.${st.type}`, target: device, outcome, details });
}

/** One target's actions with their status histories, ascending. */
export async function* hawkbitDevicePages(http: HttpClient, url: string, creds: { username: string; password: string }, device: string, tenant: string | null, q: AuditQuery): AsyncGenerator<Timed[]> {
  const base = `${url.replace(/\/+$/, '')}/rest/v1/targets/${encodeURIComponent(device)}/actions`;
  const headers = { authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`, accept: 'application/json' };
  const get = async <T>(u: string, offset: number, what: string): Promise<{ content: T[]; total?: number }> => {
    const res = await http.request({ service: 'hawkbit', method: 'GET', url: u, headers, query: { offset, limit: PAGE, sort: 'id:ASC', representation: 'full' } });
    if (res.status === 404) return { content: [] }; // a device hawkBit does not know has no history there
    if (res.status !== 200) throw hawkbitError(res, what);
    const body = res.json<{ content?: T[]; total?: number }>();
    return { content: Array.isArray(body.content) ? body.content : [], ...(body.total !== undefined ? { total: body.total } : {}) };
  };
  const getOne = async <T>(u: string, what: string): Promise<T | undefined> => {
    const res = await http.request({ service: 'hawkbit', method: 'GET', url: u, headers });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw hawkbitError(res, what);
    return res.json<T>();
  };
  const all: Timed[] = [];
  for (let offset = 0; ;) {
    const page = await get<ActionRep>(base, offset, `read hawkBit actions of ${device}`);
    for (const listed of page.content) {
      // A target's action history is compact (its `representation` is ignored): the action itself
      // names its distribution set.
      const a = listed._links?.distributionset ? listed : await getOne<ActionRep>(`${base}/${listed.id}`, `read hawkBit action ${listed.id} of ${device}`) ?? listed;
      // Read under the device's own URL: its id is known whatever the links carry.
      all.push(hawkbitEvent({ ...a, _links: { ...a._links, target: { ...a._links?.target, href: `/rest/v1/targets/${encodeURIComponent(device)}` } } }, tenant));
      for (let so = 0; ;) {
        const st = await get<StatusRep>(`${base}/${a.id}/status`, so, `read the status history of action ${a.id}`);
        all.push(...st.content.map((x) => hawkbitStatusEvent(device, a, x, tenant)));
        so += st.content.length;
        if (st.content.length < PAGE || (st.total !== undefined && so >= st.total)) break;
      }
    }
    offset += page.content.length;
    if (page.content.length < PAGE || (page.total !== undefined && offset >= page.total)) break;
  }
  yield all.filter((e) => (q.since === undefined || e.ms >= q.since) && (q.until === undefined || e.ms <= q.until)).sort((x, y) => x.ms - y.ms);
}
