// Time series of /api/plugins/telemetry (B.4): key listing, latest values, time-range queries with
// limit, orderBy and MIN/MAX/AVG/SUM/COUNT aggregation, saving and deleting. The time-range handler
// only applies when keys, startTs and endTs are all present (its @RequestMapping `params`); any other
// GET of values/timeseries is the latest-values handler. Ranges are [startTs, endTs), as the SQL DAO.
import type { RequestContext, Router } from '../kit/router.js';
import { ok, okEmpty, tenantOnly, type Tb } from './api.js';
import { byCaller, logAction } from './audit.js';
import { missingParam, noEnumConstant, parseEntityType, parseUuid, text } from './errors.js';
import { boolParam, intParam, longParam } from './paging.js';
import { entityId, findDevice, type DeviceRec, type StoredKv, type TbState } from './state.js';
import { asString, CANT_PARSE, strict, telemetryValue, type KvValue } from './values.js';

export const TELEMETRY = '/api/plugins/telemetry';
/** Points kept per key: the whole state file is rewritten on every commit, so history is bounded. */
export const MAX_POINTS_PER_KEY = 10_000;
const AGGREGATIONS = ['MIN', 'MAX', 'AVG', 'SUM', 'COUNT', 'NONE'];

/** What the access validator answers (bare text) when the entity of a telemetry call does not exist. */
const NOT_FOUND_TEXT: Record<string, string> = {
  DEVICE: "Device with requested id wasn't found!",
  ASSET: "Asset with requested id wasn't found!",
  CUSTOMER: "Customer with requested id wasn't found!",
  TENANT: "Tenant with requested id wasn't found!",
  USER: "User with requested id wasn't found!",
  DEVICE_PROFILE: "Device profile with requested id wasn't found!",
  ENTITY_VIEW: "Entity-view with requested id wasn't found!",
};

/** Resolves `{entityType}/{entityId}` (or a legacy bare device id); only devices carry telemetry in this emulator. */
export function resolveEntity(s: TbState, rawType: string, rawId: string): DeviceRec {
  const type = parseEntityType(rawType);
  const id = parseUuid(rawId);
  const device = type === 'DEVICE' ? findDevice(s, id) : undefined;
  if (!device) throw text(404, NOT_FOUND_TEXT[type] ?? "Entity with requested id wasn't found!");
  return device;
}

export const keysOf = (raw: string | null): string[] | undefined => (raw ? raw.split(',') : undefined);

/** Stores one point; the same key and ts overwrite (the primary key), the series stays ascending. */
export function insertPoint(s: TbState, deviceId: string, key: string, ts: number, value: KvValue): void {
  const series = ((s.timeseries[deviceId] ??= {})[key] ??= []);
  let i = series.length;
  while (i > 0 && series[i - 1]!.ts > ts) i--;
  if (i > 0 && series[i - 1]!.ts === ts) series[i - 1] = { ts, value };
  else series.splice(i, 0, { ts, value });
  if (series.length > MAX_POINTS_PER_KEY) series.splice(0, series.length - MAX_POINTS_PER_KEY);
}

/** JsonConverter.convertToTelemetry: `{k: v}`, `{ts, values: {k: v}}` or an array of those. */
export function parseTelemetry(body: unknown, now: number): Array<{ ts: number; key: string; value: KvValue }> {
  const out: Array<{ ts: number; key: string; value: KvValue }> = [];
  const one = (item: unknown): void => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new Error(CANT_PARSE + JSON.stringify(item));
    const o = item as Record<string, unknown>;
    if ('ts' in o && 'values' in o) {
      const ts = Number(o['ts']);
      if (!Number.isFinite(ts) || typeof o['values'] !== 'object' || o['values'] === null) throw new Error(CANT_PARSE + JSON.stringify(item));
      for (const [key, v] of Object.entries(o['values'] as Record<string, unknown>)) out.push({ ts: Math.trunc(ts), key, value: telemetryValue(v) });
    } else {
      for (const [key, v] of Object.entries(o)) out.push({ ts: now, key, value: telemetryValue(v) });
    }
  };
  if (Array.isArray(body)) body.forEach(one);
  else one(body);
  return out;
}

type Rendered = Record<string, Array<{ ts: number; value: unknown }>>;
const put = (out: Rendered, key: string, p: StoredKv | { ts: number; value: null }, strictTypes: boolean): void => {
  (out[key] ??= []).push({ ts: p.ts, value: p.value === null ? null : strictTypes ? strict(p.value) : asString(p.value) });
};

function latest(tb: Tb, device: DeviceRec, ctx: RequestContext): Rendered {
  const strictTypes = boolParam(ctx.query, 'useStrictDataTypes') ?? false;
  const series = tb.store.state.timeseries[device.id] ?? {};
  const out: Rendered = {};
  const keys = keysOf(ctx.query.get('keys'));
  for (const key of keys ?? Object.keys(series)) {
    const last = series[key]?.at(-1);
    // findLatest answers a missing key with a null value stamped "now".
    put(out, key, last ?? { ts: tb.now(), value: null }, strictTypes);
  }
  return out;
}

function aggregate(points: StoredKv[], agg: string, ts: number): StoredKv | undefined {
  if (agg === 'COUNT') return points.length ? { ts, value: { type: 'LONG', v: points.length } } : undefined;
  const nums = points.filter((p) => p.value.type === 'LONG' || p.value.type === 'DOUBLE');
  if (nums.length === 0) return undefined;
  const values = nums.map((p) => p.value.v as number);
  const anyDouble = nums.some((p) => p.value.type === 'DOUBLE');
  const sum = values.reduce((a, b) => a + b, 0);
  const v = agg === 'MIN' ? Math.min(...values) : agg === 'MAX' ? Math.max(...values) : agg === 'SUM' ? sum : sum / values.length;
  return { ts, value: agg === 'AVG' || anyDouble ? { type: 'DOUBLE', v } : { type: 'LONG', v } };
}

function range(tb: Tb, device: DeviceRec, ctx: RequestContext): Rendered {
  const q = ctx.query;
  const keys = q.get('keys')!.split(',').filter(Boolean);
  const startTs = longParam(q, 'startTs')!;
  const endTs = longParam(q, 'endTs')!;
  const interval = longParam(q, 'interval', 0)!;
  const limit = q.get('limit') === null ? 100 : intParam(q, 'limit');
  const intervalType = q.get('intervalType');
  const aggRaw = q.get('agg') ?? 'NONE';
  const orderRaw = q.get('orderBy') ?? 'DESC';
  const strictTypes = boolParam(q, 'useStrictDataTypes') ?? false;
  // These fail inside the validator's callback, so they come back as bare-text 400s (AccessValidator.handleError).
  if (!AGGREGATIONS.includes(aggRaw)) throw text(400, `No enum constant org.thingsboard.server.common.data.kv.Aggregation.${aggRaw}`);
  if (!['ASC', 'DESC'].includes(orderRaw.toUpperCase())) throw text(400, `Invalid value '${orderRaw}' for orders given; Has to be either 'desc' or 'asc' (case insensitive)`);
  if (intervalType !== null && !['MILLISECONDS', 'WEEK', 'WEEK_ISO', 'MONTH', 'QUARTER'].includes(intervalType)) throw noEnumConstant('org.thingsboard.server.common.data.kv.IntervalType', intervalType);
  if (intervalType !== null && intervalType !== 'MILLISECONDS' && aggRaw !== 'NONE') {
    throw text(400, `The sandbox aggregates by fixed intervals only (intervalType ${intervalType} is not emulated)`);
  }
  const desc = orderRaw.toUpperCase() === 'DESC';
  const series = tb.store.state.timeseries[device.id] ?? {};
  const out: Rendered = {};
  for (const key of keys) {
    const inRange = (series[key] ?? []).filter((p) => p.ts >= startTs && p.ts < endTs);
    let result: StoredKv[];
    if (aggRaw === 'NONE' || interval === 0) {
      result = desc ? inRange.slice().reverse().slice(0, limit) : inRange.slice(0, limit);
    } else {
      // Buckets [start, start+interval) stamped with their middle, as the chunked aggregation DAO does.
      result = [];
      const end = Math.max(startTs + 1, endTs);
      for (let from = startTs; from < end; from += interval) {
        const to = Math.min(from + interval, end);
        const r = aggregate(inRange.filter((p) => p.ts >= from && p.ts < to), aggRaw, from + Math.floor((to - from) / 2));
        if (r) result.push(r);
      }
      if (desc) result.reverse();
    }
    for (const p of result) put(out, key, p, strictTypes);
  }
  return out;
}

export function registerTimeseries(router: Router, tb: Tb): void {
  router.get(`${TELEMETRY}/:entityType/:entityId/keys/timeseries`, tenantOnly((ctx) => {
    const d = resolveEntity(tb.store.state, ctx.params['entityType']!, ctx.params['entityId']!);
    ok(ctx, Object.keys(tb.store.state.timeseries[d.id] ?? {}));
  }));

  router.get(`${TELEMETRY}/:entityType/:entityId/values/timeseries`, tenantOnly((ctx) => {
    const q = ctx.query;
    const isRange = q.has('keys') && q.has('startTs') && q.has('endTs');
    // Spring binds (and refuses) the range handler's parameters before the entity is looked at.
    if (isRange) { longParam(q, 'startTs'); longParam(q, 'endTs'); longParam(q, 'interval'); if (q.get('limit') !== null) intParam(q, 'limit'); }
    const d = resolveEntity(tb.store.state, ctx.params['entityType']!, ctx.params['entityId']!);
    ok(ctx, isRange ? range(tb, d, ctx) : latest(tb, d, ctx));
  }));

  const save = tenantOnly(async (ctx, caller) => {
    const raw = await ctx.text();
    let body: unknown;
    try { body = JSON.parse(raw); } catch { throw text(400, 'Unable to parse time series payload: Invalid JSON body!'); }
    let entries: ReturnType<typeof parseTelemetry>;
    try { entries = parseTelemetry(body, tb.now()); } catch (err) { throw text(400, `Unable to parse time series payload. Invalid JSON body: ${(err as Error).message}`); }
    if (entries.length === 0) throw text(400, 'No time series data found in request body!');
    const d = resolveEntity(tb.store.state, ctx.params['entityType']!, ctx.params['entityId']!);
    tb.store.update((s) => {
      for (const e of entries) insertPoint(s, d.id, e.key, e.ts, e.value);
      const byTs = new Map<number, Record<string, string>>();
      for (const e of entries) (byTs.get(e.ts) ?? byTs.set(e.ts, {}).get(e.ts)!)[e.key] = asString(e.value);
      logAction(s, tb.now(), byCaller(caller, {
        entity: entityId('DEVICE', d.id), entityName: d.name, actionType: 'TIMESERIES_UPDATED',
        actionData: { entityId: d.id, timeseries: [...byTs].map(([ts, values]) => ({ ts, values })) },
      }));
    });
    okEmpty(ctx);
  });
  router.post(`${TELEMETRY}/:entityType/:entityId/timeseries/:scope`, save);
  router.post(`${TELEMETRY}/:entityType/:entityId/timeseries/:scope/:ttl`, save);

  router.delete(`${TELEMETRY}/:entityType/:entityId/timeseries/delete`, tenantOnly((ctx, caller) => {
    const q = ctx.query;
    const keysRaw = q.get('keys');
    if (keysRaw === null) throw missingParam('keys', 'String');
    const keys = keysRaw.split(',').filter((k) => k !== '');
    if (keysRaw === '' || keys.length === 0) throw text(400, `Empty keys: ${keysRaw}`);
    const all = boolParam(q, 'deleteAllDataForKeys') ?? false;
    const startTs = longParam(q, 'startTs');
    const endTs = longParam(q, 'endTs');
    if (!all && (startTs === undefined || endTs === undefined)) throw text(400, "When deleteAllDataForKeys is false, start and end timestamp values shouldn't be empty");
    const from = all ? 0 : startTs!;
    const to = all ? tb.now() : endTs!;
    const d = resolveEntity(tb.store.state, ctx.params['entityType']!, ctx.params['entityId']!);
    tb.store.update((s) => {
      const series = s.timeseries[d.id] ?? {};
      for (const key of keys) {
        const kept = (series[key] ?? []).filter((p) => p.ts < from || p.ts >= to);
        if (kept.length) series[key] = kept; else delete series[key];
      }
      logAction(s, tb.now(), byCaller(caller, {
        entity: entityId('DEVICE', d.id), entityName: d.name, actionType: 'TIMESERIES_DELETED',
        actionData: { entityId: d.id, timeseries: keys, startTs: from, endTs: to },
      }));
    });
    okEmpty(ctx);
  }));
}
