// Source `bridge`: the iot-bridge-api's `GET /audit?since=&until=` → {events:[{time, action, actor,
// target, outcome, details}], total}, oldest first (commands.md §7). Upstream's bridge has no such
// route: a 404/405 says so instead of failing obscurely.
import { BackendError, CdmError, NotFoundError } from '../../../core/errors.js';
import type { HttpClient } from '../../../http/types.js';
import { timed, type AuditQuery, type Outcome, type Timed } from '../event.js';

interface BridgeEvent { time: string; action: string; actor?: string; target?: string; outcome?: string; details?: Record<string, unknown> }

const OUTCOMES = new Set(['success', 'failure', 'denied', 'partial', 'pending']);

export function bridgeEvent(e: BridgeEvent, tenant: string | null): Timed | undefined {
  const ms = Date.parse(e.time);
  if (Number.isNaN(ms)) return undefined;
  const outcome = (OUTCOMES.has(e.outcome ?? '') ? e.outcome : 'success') as Outcome;
  return timed(ms, { source: 'bridge', tenant, actor: e.actor ?? '', action: e.action, target: e.target ?? '', outcome, details: e.details ?? {} });
}

export async function* bridgePages(http: HttpClient, url: string, token: () => Promise<string>, tenant: string | null, q: AuditQuery): AsyncGenerator<Timed[]> {
  const res = await http.request({
    service: 'bridge', method: 'GET', url: `${url.replace(/\/+$/, '')}/audit`, headers: { authorization: `Bearer ${await token()}` },
    query: { since: q.since === undefined ? undefined : new Date(q.since).toISOString(), until: q.until === undefined ? undefined : new Date(q.until).toISOString() },
  });
  if (res.status === 404 || res.status === 405) {
    throw new NotFoundError('the bridge has no GET /audit route (upstream iot-bridge-api keeps no audit; read its container log instead)', { service: 'bridge', status: res.status });
  }
  if (res.status !== 200) throw new BackendError(`bridge GET /audit answered ${res.status}: ${res.text().slice(0, 200)}`, { service: 'bridge', status: res.status });
  const body = res.json<{ events?: BridgeEvent[] }>();
  if (!Array.isArray(body.events)) throw new CdmError('bridge GET /audit: no events list in the answer', { service: 'bridge' });
  const out: Timed[] = [];
  for (const e of body.events) {
    const t = bridgeEvent(e, tenant);
    if (t) out.push(t);
  }
  // Oldest first by contract; sorted anyway (stable) so one misordered line cannot break the merge.
  out.sort((a, b) => a.ms - b.ms);
  for (let i = 0; i < out.length; i += 1000) yield out.slice(i, i + 1000);
}
