// The Entity Data Query API's REST form, POST /api/entitiesQuery/find (thingsboard.io/docs/
// reference/data-query-api): one call answers a page of entities with their entity fields and
// latest values, where the per-device telemetry endpoint takes one call per device. The answer is
// PageData<EntityData>: `{entityId, latest: {<keyType>: {<key>: {ts, value}}}, timeseries: {},
// aggLatest: null}`, values as strings the way EntityDataAdapter.convertValue makes them (a number
// is re-printed by Long/Double.toString), a key without a value `{ts: 0}` (TsValue's null value is
// left out), entity fields stamped with the current time.
//
// This emulator has devices only. It answers the `entityList` and `entityType` filters (other
// entity types match nothing), entity fields name/type/label/createdTime, TIME_SERIES and the
// three scoped attribute key types, and a sort by an entity field; key filters, other filters and
// other key types are refused with 400 naming the sandbox's limit, never ignored.
import type { Router } from '../kit/router.js';
import { isObject, jsonBody, ok, tenantOnly, type Tb } from './api.js';
import { scopeAttributes } from './attributes.js';
import { badRequest, parseUuid } from './errors.js';
import { findDevice, findProfile, type DeviceRec, type Scope, type StoredKv, type TbState } from './state.js';
import { asString, javaDouble } from './values.js';

interface EntityKey { type: string; key: string }
interface TsValue { ts: number; value?: string }

const ATTRIBUTE_SCOPES: Record<string, Scope> = { SERVER_ATTRIBUTE: 'SERVER_SCOPE', SHARED_ATTRIBUTE: 'SHARED_SCOPE', CLIENT_ATTRIBUTE: 'CLIENT_SCOPE' };
const ENTITY_FIELDS = ['name', 'type', 'label', 'createdTime'];
const limit = (what: string): Error => badRequest(`${what} is not supported by the sandbox's ThingsBoard (entity data queries: entityList/entityType filters, ENTITY_FIELD, TIME_SERIES and scoped attribute keys)`);

export function registerEntityQuery(router: Router, tb: Tb): void {
  router.post('/api/entitiesQuery/find', tenantOnly(async (ctx) => {
    const query = await jsonBody(ctx);
    if (!isObject(query)) throw badRequest('Invalid request body');
    ok(ctx, findEntityData(tb, query));
  }));
}

function findEntityData(tb: Tb, q: Record<string, unknown>): unknown {
  const s = tb.store.state;
  const filter = q['entityFilter'];
  if (!isObject(filter)) throw badRequest('Entity filter is required');
  const link = q['pageLink'];
  if (!isObject(link)) throw badRequest('Page link is required');
  const pageSize = int(link['pageSize'], 'pageSize');
  const page = int(link['page'] ?? 0, 'page');
  if (pageSize < 1) throw badRequest('Page size should be greater than 0!');
  if (page < 0) throw badRequest('Page should be positive!');
  if (Array.isArray(q['keyFilters']) && q['keyFilters'].length > 0) throw limit('keyFilters');
  const fields = keys(q['entityFields'], 'entityFields');
  const latest = keys(q['latestValues'], 'latestValues');
  for (const k of fields) if (k.type !== 'ENTITY_FIELD') throw limit(`entity field type ${k.type}`);
  for (const k of latest) if (k.type !== 'TIME_SERIES' && !(k.type in ATTRIBUTE_SCOPES)) throw limit(`latest value type ${k.type}`);

  let devices = matching(s, filter);
  const text = typeof link['textSearch'] === 'string' ? link['textSearch'].toLowerCase() : '';
  if (text) devices = devices.filter((d) => [d.name, d.label ?? '', profileName(s, d) ?? ''].some((v) => v.toLowerCase().includes(text)));
  const sort = link['sortOrder'];
  if (isObject(sort)) devices = sorted(s, devices, sort);

  const rows = devices.slice(page * pageSize, (page + 1) * pageSize);
  const now = tb.now();
  return {
    data: rows.map((d) => entityData(tb, d, fields, latest, now)),
    totalPages: Math.ceil(devices.length / pageSize),
    totalElements: devices.length,
    hasNext: devices.length > page * pageSize + rows.length,
  };
}

function matching(s: TbState, filter: Record<string, unknown>): DeviceRec[] {
  switch (filter['type']) {
    case 'entityList': {
      const list = filter['entityList'];
      if (!Array.isArray(list)) throw badRequest('Entity list is required');
      if (filter['entityType'] !== 'DEVICE') return [];
      // As the SQL `id in (…)`: each listed entity once, unknown ids simply absent.
      const ids = new Set(list.map((v) => parseUuid(String(v))));
      return [...ids].map((id) => findDevice(s, id)).filter((d): d is DeviceRec => d !== undefined);
    }
    case 'entityType':
      return filter['entityType'] === 'DEVICE' ? [...s.devices] : [];
    default:
      throw limit(`entity filter type ${String(filter['type'])}`);
  }
}

function sorted(s: TbState, devices: DeviceRec[], sort: Record<string, unknown>): DeviceRec[] {
  const key = sort['key'];
  if (!isObject(key) || key['type'] !== 'ENTITY_FIELD' || !ENTITY_FIELDS.includes(String(key['key']))) throw limit('a sort other than by name, type, label or createdTime');
  const field = String(key['key']);
  const sign = sort['direction'] === 'DESC' ? -1 : 1;
  const value = (d: DeviceRec): string | number => (field === 'createdTime' ? d.createdTime : (fieldValue(s, d, field) ?? ''));
  return devices.map((d, i) => ({ d, i, v: value(d) })).sort((a, b) => (a.v < b.v ? -sign : a.v > b.v ? sign : a.i - b.i)).map((x) => x.d);
}

function entityData(tb: Tb, d: DeviceRec, fields: EntityKey[], latest: EntityKey[], now: number): unknown {
  const s = tb.store.state;
  const out: Record<string, Record<string, TsValue>> = {};
  const put = (type: string, key: string, v: TsValue): void => { (out[type] ??= {})[key] = v; };
  for (const f of fields) {
    const value = fieldValue(s, d, f.key);
    put('ENTITY_FIELD', f.key, value === null ? { ts: now } : { ts: now, value });
  }
  for (const k of latest) {
    // Server attributes include the device-state service's (active, lastActivityTime, …), as on the REST attribute endpoints.
    const table = k.type === 'TIME_SERIES' ? undefined : scopeAttributes(tb, s, d, ATTRIBUTE_SCOPES[k.type]!);
    const stored = table ? (Object.hasOwn(table, k.key) ? table[k.key] : undefined) : s.timeseries[d.id]?.[k.key]?.at(-1);
    put(k.type, k.key, latestValue(stored));
  }
  return { entityId: { entityType: 'DEVICE', id: d.id }, latest: out, timeseries: {}, aggLatest: null };
}

function fieldValue(s: TbState, d: DeviceRec, field: string): string | null {
  switch (field) {
    case 'name': return d.name;
    case 'type': return profileName(s, d);
    case 'label': return d.label;
    case 'createdTime': return String(d.createdTime);
    default: return null;
  }
}

const profileName = (s: TbState, d: DeviceRec): string | null => findProfile(s, d.profileId)?.name ?? null;

function latestValue(stored: StoredKv | undefined): TsValue {
  // TsValue.EMPTY for a key without a value.
  return stored ? { ts: stored.ts, value: convertValue(asString(stored.value)) } : { ts: 0, value: '' };
}

/** EntityDataAdapter.convertValue: what parses as a long or a finite double is printed again by Java. */
function convertValue(text: string): string {
  if (/^[+-]?\d+$/.test(text)) {
    const n = BigInt(text);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n.toString();
  }
  // Double.parseDouble: surrounding blanks, an exponent and a d/f suffix allowed.
  const m = /^\s*([+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))[dDfF]?\s*$/.exec(text);
  if (m) {
    const n = m[1]!.endsWith('NaN') ? Number.NaN : Number(m[1]);
    if (Number.isNaN(n) || Number.isFinite(n)) return javaDouble(n);
  }
  return text;
}

function keys(raw: unknown, what: string): EntityKey[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest(`Invalid ${what}`);
  return raw.map((k) => {
    if (!isObject(k) || typeof k['type'] !== 'string' || typeof k['key'] !== 'string') throw badRequest(`Invalid ${what}`);
    return { type: k['type'], key: k['key'] };
  });
}

function int(raw: unknown, name: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw)) throw badRequest(`Invalid ${name}`);
  return raw;
}
