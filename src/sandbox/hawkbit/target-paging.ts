// Paged target lists (GET /targets, a set's assigned/installed targets, a tag's targets) with the
// same answers as paging.ts's `paged`, without sorting the whole fleet per request: a filter that
// pins controllerIds (`controllerId=in=(…)`, what clients send to look up one page of devices)
// starts from those targets only, and the default order comes from the target index. Anything
// else (another sort) takes the general path.
import type { RequestContext } from '../kit/router.js';
import type { Hb } from './context.js';
import { targetFields } from './fields.js';
import { compileFilter, pinnedValues } from './fiql.js';
import { pageParams, sorter, type PagedList } from './paging.js';
import { lookup, type TargetRec } from './state.js';

const DEFAULT_SORT = 'controllerId:ASC';
/** Sorts equal to the default order: one key, the controller id, ascending. */
const DEFAULT_ORDER = /^\s*(controllerid|id)\s*:\s*asc\s*$/i;

/** Targets (those `include` accepts) matching `q`, sorted and paged, each mapped through `map`. */
export function pagedTargets<R>(ctx: RequestContext, hb: Hb, map: (t: TargetRec) => R, include?: (t: TargetRec) => boolean): PagedList<R> {
  const state = hb.store.state;
  const spec = targetFields(state);
  const q = ctx.query.get('q');
  const filter = compileFilter(q, spec);
  const sort = ctx.query.get('sort');
  // Built (and so validated: bad sorts are hawkBit's 400s) whichever path answers.
  const cmp = sorter(sort, DEFAULT_SORT, spec);
  const { offset, limit } = pageParams(ctx);
  const keep = (t: TargetRec): boolean => (include === undefined || include(t)) && filter(t);
  const page = (matching: TargetRec[]): PagedList<R> => {
    const content = matching.slice(offset, offset + limit).map(map);
    return { content, total: matching.length, size: content.length };
  };

  const pinned = pinnedValues(q, ['id', 'controllerid']);
  if (pinned) return page(hb.targets.matching(state, pinned).filter(keep).sort(cmp));

  if (sort === null || sort.trim() === '' || DEFAULT_ORDER.test(sort)) {
    const ordered = hb.targets.ordered(state);
    if (include === undefined && (q === null || q.trim() === '')) {
      const content = ordered.slice(offset, offset + limit).map((id) => map(lookup(state.targets, id)!));
      return { content, total: ordered.length, size: content.length };
    }
    // One pass: count every match, map only the page's.
    const content: R[] = [];
    let total = 0;
    for (const id of ordered) {
      const t = lookup(state.targets, id)!;
      if (!keep(t)) continue;
      if (total >= offset && content.length < limit) content.push(map(t));
      total++;
    }
    return { content, total, size: content.length };
  }

  return page(Object.values(state.targets).filter(keep).sort(cmp));
}
