// Paging and sorting of hawkBit collection GETs: `offset` (absolute row, negative → 0), `limit`
// (default 50, <1 → 50, >500 → 500), `sort=field:ASC|DESC[,…]` over the resource's field enum
// names (case-insensitive), and the `PagedList` envelope {content, total, size} where `size` is
// the number of items in this response.
import type { RequestContext } from '../kit/router.js';
import { sortDirection, sortField, sortSyntax } from './errors.js';
import { compileFilter, type FieldSpec } from './fiql.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface PageParams { offset: number; limit: number }

export function pageParams(ctx: RequestContext): PageParams {
  const int = (name: string, fallback: number): number => {
    const raw = ctx.query.get(name);
    if (raw === null || raw.trim() === '') return fallback;
    const n = Number(raw);
    return Number.isInteger(n) ? n : fallback;
  };
  const offset = Math.max(0, int('offset', 0));
  let limit = int('limit', DEFAULT_LIMIT);
  if (limit < 1) limit = DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) limit = MAX_LIMIT;
  return { offset, limit };
}

/** Builds a comparator from `sort` (or the resource default); bad sort → the hawkBit 400s. */
export function sorter<T>(sort: string | null, fallback: string, spec: FieldSpec<T>): (a: T, b: T) => number {
  const text = sort === null || sort.trim() === '' ? fallback : sort;
  const keys = text.split(',').map((part) => {
    const bits = part.split(':');
    if (bits.length !== 2 || !bits[0]!.trim() || !bits[1]!.trim()) throw sortSyntax();
    const field = bits[0]!.trim();
    const dir = bits[1]!.trim().toUpperCase();
    if (dir !== 'ASC' && dir !== 'DESC') throw sortDirection(bits[1]!.trim());
    const get = spec.fields[field.toLowerCase()];
    if (!get) throw sortField(field);
    return { get, sign: dir === 'ASC' ? 1 : -1 };
  });
  return (a, b) => {
    for (const k of keys) {
      const c = compareValues(k.get(a), k.get(b));
      if (c !== 0) return c * k.sign;
    }
    return 0;
  };
}

function compareValues(a: unknown, b: unknown): number {
  // Nulls sort first ascending, as in the databases hawkBit runs on (H2/MySQL).
  const na = a === undefined || a === null;
  const nb = b === undefined || b === null;
  if (na || nb) return na && nb ? 0 : na ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export interface PagedList<R> { content: R[]; total: number; size: number }

/** Filters (`q`), sorts and pages `items`, mapping each returned item through `map`. */
export function paged<T, R>(ctx: RequestContext, items: Iterable<T>, spec: FieldSpec<T>, defaultSort: string, map: (item: T) => R): PagedList<R> {
  const filter = compileFilter(ctx.query.get('q'), spec);
  const cmp = sorter(ctx.query.get('sort'), defaultSort, spec);
  const { offset, limit } = pageParams(ctx);
  const matching = [...items].filter(filter).sort(cmp);
  const content = matching.slice(offset, offset + limit).map(map);
  return { content, total: matching.length, size: content.length };
}
