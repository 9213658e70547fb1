// GET /audit?since=&until= (commands.md §7): the bridge's own events, oldest first, each
// {time, action, actor, target, outcome, details}. Upstream keeps no audit at all (§8). Bounds
// are inclusive and parsed as pydantic parses a datetime: ISO 8601, or a Unix time in seconds
// (milliseconds when above 2e10). Provider: admin roles; tenant: any tenant-realm reader role.
import type { Router } from '../kit/router.js';
import type { Bridge } from './context.js';
import { invalid } from './errors.js';

function bound(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(raw)) {
    const n = Number(raw);
    return Math.abs(n) > 2e10 ? n : n * 1000;
  }
  const m = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(raw);
  // A time without an offset is taken as UTC, the zone the bridge records in.
  const t = m ? Date.parse(raw.includes(':') && !m[1] ? `${raw.replace(' ', 'T')}Z` : raw.replace(' ', 'T')) : NaN;
  if (Number.isNaN(t)) {
    throw invalid([{ type: 'datetime_from_date_parsing', loc: ['query', name], msg: 'Input should be a valid datetime or date, invalid character in year', input: raw }]);
  }
  return t;
}

export function registerAuditRoute(router: Router, b: Bridge, roles: string[]): void {
  router.get('/audit', async (ctx) => {
    await b.tokens.require(ctx, roles);
    const since = bound(ctx.query, 'since');
    const until = bound(ctx.query, 'until');
    const events = b.store.state.audit.filter((e) => {
      const t = Date.parse(e.time);
      return (since === undefined || t >= since) && (until === undefined || t <= until);
    });
    ctx.send(200, { events, total: events.length });
  });
}
