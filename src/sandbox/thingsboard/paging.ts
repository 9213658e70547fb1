// Page links and the PageData envelope (B.2): `pageSize` and `page` are required ints (page is
// 0-based), validated the way Spring binds them and ThingsBoard's Validator.validatePageLink checks
// them; sortOrder is only looked at when a sortProperty is given.
import { badRequest, missingParam, typeMismatch } from './errors.js';

export interface PageLink {
  pageSize: number;
  page: number;
  textSearch: string | undefined;
  sortProperty: string | undefined;
  sortOrder: 'ASC' | 'DESC';
}

export interface PageData<T> { data: T[]; totalPages: number; totalElements: number; hasNext: boolean }

const INT = /^[+-]?\d+$/;
const LONG = /^[+-]?\d+$/;
/** Validator.PROPERTY_PATTERN: letters, digits, `_` and `-` only. */
const PROPERTY = /^[\p{L}0-9_-]+$/u;

/** Integer.parseInt semantics for a required int parameter. */
export function intParam(q: URLSearchParams, name: string): number {
  const raw = q.get(name);
  if (raw === null) throw missingParam(name, 'int');
  const n = Number(raw);
  if (!INT.test(raw) || n > 2147483647 || n < -2147483648) throw typeMismatch(name, 'int', raw);
  return n;
}

/** An optional java.lang.Long parameter; `fallback` when absent. */
export function longParam(q: URLSearchParams, name: string, fallback?: number): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  if (!LONG.test(raw)) throw typeMismatch(name, 'java.lang.Long', raw);
  return Number(raw);
}

/** An optional java.lang.Boolean parameter, converted like Spring's StringToBooleanConverter. */
export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const v = raw.toLowerCase();
  if (['true', 'on', 'yes', '1'].includes(v)) return true;
  if (['false', 'off', 'no', '0'].includes(v)) return false;
  throw typeMismatch(name, 'java.lang.Boolean', raw);
}

export function pageLink(q: URLSearchParams): PageLink {
  const pageSize = intParam(q, 'pageSize');
  const page = intParam(q, 'page');
  const textSearch = q.get('textSearch') || undefined;
  const sortProperty = q.get('sortProperty') || undefined;
  let sortOrder: 'ASC' | 'DESC' = 'ASC';
  if (sortProperty) {
    const raw = q.get('sortOrder');
    if (raw) {
      const upper = raw.toUpperCase();
      if (upper !== 'ASC' && upper !== 'DESC') throw badRequest(`Unsupported sort order '${raw}'! Only 'ASC' or 'DESC' types are allowed.`);
      sortOrder = upper;
    }
  }
  if (pageSize < 1) throw badRequest(`Incorrect page link page size '${pageSize}'. Page size must be greater than zero.`);
  if (page < 0) throw badRequest(`Incorrect page link page '${page}'. Page must be positive integer.`);
  if (sortProperty && !PROPERTY.test(sortProperty)) throw badRequest('Invalid page link sort property');
  return { pageSize, page, textSearch, sortProperty, sortOrder };
}

/** Case-insensitive substring match, as the DAO's `ILIKE '%text%'`. */
export function contains(value: unknown, text: string): boolean {
  return typeof value === 'string' && value.toLowerCase().includes(text.toLowerCase());
}

/**
 * Sorts (by the property read from the rendered item; nulls last ascending, first descending, as
 * PostgreSQL orders them), searches and cuts one page. Without a sortProperty the input order stands.
 */
export function toPage<T>(items: T[], link: PageLink, matches?: (item: T, text: string) => boolean, sortValue?: (item: T, property: string) => unknown): PageData<T> {
  let list = link.textSearch && matches ? items.filter((i) => matches(i, link.textSearch!)) : items.slice();
  if (link.sortProperty) {
    const prop = link.sortProperty;
    const read = sortValue ?? ((i: T, p: string) => (i as Record<string, unknown>)[p]);
    const dir = link.sortOrder === 'DESC' ? -1 : 1;
    list = list.map((item, idx) => ({ item, idx, v: read(item, prop) }))
      .sort((a, b) => (compare(a.v, b.v) * dir) || a.idx - b.idx)
      .map((x) => x.item);
  }
  const totalElements = list.length;
  const totalPages = Math.ceil(totalElements / link.pageSize);
  const start = link.page * link.pageSize;
  return { data: list.slice(start, start + link.pageSize), totalPages, totalElements, hasNext: start + link.pageSize < totalElements };
}

function compare(a: unknown, b: unknown): number {
  const an = a === null || a === undefined, bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = typeof a === 'object' ? JSON.stringify(a) : String(a);
  const sb = typeof b === 'object' ? JSON.stringify(b) : String(b);
  return sa.localeCompare(sb, 'en');
}
