// Attributes of /api/plugins/telemetry (B.4): keys and values per scope or across all scopes
// (CLIENT, SERVER, SHARED — AttributeScope's order), saving (SERVER_SCOPE and SHARED_SCOPE only;
// three URL forms) and deleting. SERVER_SCOPE also shows the device-state service's attributes
// (`active`, `lastActivityTime`, …). Refusals are the controller's bare-text 400s.
import type { RequestContext, Router } from '../kit/router.js';
import { isObject, ok, okEmpty, tenantOnly, type Caller, type Tb } from './api.js';
import { deviceState, stateAttributes } from './activity.js';
import { byCaller, logAction } from './audit.js';
import { badRequest, missingParam, text } from './errors.js';
import { entityId, type DeviceRec, type Scope, type StoredKv, type TbState } from './state.js';
import { keysOf, resolveEntity, TELEMETRY } from './telemetry.js';
import { asString, attributeValue, strict, type KvValue } from './values.js';

const SCOPES: Scope[] = ['CLIENT_SCOPE', 'SERVER_SCOPE', 'SHARED_SCOPE'];

/** The AttributeScope path variable: an unknown name fails Spring's conversion (400 code 31). */
function parseScope(raw: string): Scope {
  if ((SCOPES as string[]).includes(raw)) return raw as Scope;
  throw badRequest(`Method parameter 'scope': Failed to convert value of type 'java.lang.String' to required type 'org.thingsboard.server.common.data.AttributeScope'; Failed to convert from type [java.lang.String] to type [@org.springframework.web.bind.annotation.PathVariable org.thingsboard.server.common.data.AttributeScope] for value [${raw}]`);
}

/** Stored attributes of one scope; SERVER_SCOPE merged with the state service's. */
export function scopeAttributes(tb: Tb, s: TbState, d: DeviceRec, scope: Scope): Record<string, StoredKv> {
  const stored = s.attributes[d.id]?.[scope] ?? {};
  if (scope !== 'SERVER_SCOPE') return stored;
  return { ...stored, ...stateAttributes(deviceState(s, d.id, d.createdTime, tb.now(), tb.activityTimeoutMs)) };
}

/** Writes attributes (the device side uses it too); returns nothing, the caller commits. */
export function putAttributes(s: TbState, deviceId: string, scope: Scope, values: Array<[string, KvValue]>, ts: number): void {
  const table = ((s.attributes[deviceId] ??= {})[scope] ??= {});
  for (const [key, value] of values) Object.defineProperty(table, key, { value: { ts, value }, enumerable: true, writable: true, configurable: true });
}

function device(tb: Tb, ctx: RequestContext): DeviceRec {
  const p = ctx.params;
  return resolveEntity(tb.store.state, p['entityType'] ?? 'DEVICE', p['entityId'] ?? p['deviceId']!);
}

function values(tb: Tb, d: DeviceRec, scopes: Scope[], keys: string[] | undefined): Array<{ lastUpdateTs: number; key: string; value: unknown }> {
  const s = tb.store.state;
  const out: Array<{ lastUpdateTs: number; key: string; value: unknown }> = [];
  for (const scope of scopes) {
    const table = scopeAttributes(tb, s, d, scope);
    for (const key of keys ?? Object.keys(table)) {
      const kv = Object.hasOwn(table, key) ? table[key] : undefined;
      if (kv) out.push({ lastUpdateTs: kv.ts, key, value: strict(kv.value) });
    }
  }
  return out;
}

function save(tb: Tb): ReturnType<typeof tenantOnly> {
  return tenantOnly(async (ctx, caller: Caller) => {
    const scope = parseScope(ctx.params['scope']!);
    const raw = await ctx.text();
    let body: unknown;
    try { body = JSON.parse(raw); } catch (err) { throw badRequest(`JSON parse error: ${(err as Error).message}`); }
    if (scope !== 'SERVER_SCOPE' && scope !== 'SHARED_SCOPE') throw text(400, `Invalid scope: ${scope}`);
    if (!isObject(body)) throw text(400, 'Request is not a JSON object');
    const entries = Object.entries(body).flatMap(([k, v]) => { const kv = attributeValue(v); return kv ? [[k, kv] as [string, KvValue]] : []; });
    if (entries.length === 0) throw text(400, 'No attributes data found in request body!');
    if (entries.some(([k]) => k.trim() === '')) throw text(400, 'Key cannot be empty or contains only spaces');
    const d = device(tb, ctx);
    tb.store.update((s) => {
      putAttributes(s, d.id, scope, entries, tb.now());
      logAction(s, tb.now(), byCaller(caller, {
        entity: entityId('DEVICE', d.id), entityName: d.name, actionType: 'ATTRIBUTES_UPDATED',
        actionData: { entityId: d.id, scope, attributes: Object.fromEntries(entries.map(([k, v]) => [k, asString(v)])) },
      }));
    });
    okEmpty(ctx);
  });
}

function remove(tb: Tb): ReturnType<typeof tenantOnly> {
  return tenantOnly((ctx, caller) => {
    const scope = parseScope(ctx.params['scope']!);
    const keysRaw = ctx.query.get('keys');
    if (keysRaw === null) throw missingParam('keys', 'String');
    const keys = keysRaw.split(',');
    if (keysRaw === '') throw text(400, `Empty keys: ${keysRaw}`);
    const d = device(tb, ctx);
    tb.store.update((s) => {
      const table = s.attributes[d.id]?.[scope];
      for (const k of keys) if (table && Object.hasOwn(table, k)) delete table[k];
      logAction(s, tb.now(), byCaller(caller, {
        entity: entityId('DEVICE', d.id), entityName: d.name, actionType: 'ATTRIBUTES_DELETED', actionData: { entityId: d.id, scope, attributes: keys },
      }));
    });
    okEmpty(ctx);
  });
}

export function registerAttributes(router: Router, tb: Tb): void {
  const base = `${TELEMETRY}/:entityType/:entityId`;
  router.get(`${base}/keys/attributes`, tenantOnly((ctx) => {
    const d = device(tb, ctx);
    ok(ctx, values(tb, d, SCOPES, undefined).map((a) => a.key));
  }));
  router.get(`${base}/keys/attributes/:scope`, tenantOnly((ctx) => {
    const scope = parseScope(ctx.params['scope']!);
    ok(ctx, values(tb, device(tb, ctx), [scope], undefined).map((a) => a.key));
  }));
  router.get(`${base}/values/attributes`, tenantOnly((ctx) => {
    ok(ctx, values(tb, device(tb, ctx), SCOPES, keysOf(ctx.query.get('keys'))));
  }));
  router.get(`${base}/values/attributes/:scope`, tenantOnly((ctx) => {
    const scope = parseScope(ctx.params['scope']!);
    ok(ctx, values(tb, device(tb, ctx), [scope], keysOf(ctx.query.get('keys'))));
  }));
  router.post(`${base}/attributes/:scope`, save(tb));
  router.post(`${base}/:scope`, save(tb));
  router.post(`${TELEMETRY}/:deviceId/:scope`, save(tb));
  router.delete(`${base}/:scope`, remove(tb));
  router.delete(`${TELEMETRY}/:deviceId/:scope`, remove(tb));
}
