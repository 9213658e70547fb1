// ThingsBoard rule-chain webhooks (cdm-platform.md §2.2): "connect" makes sure a hawkBit target
// and a WireGuard address exist for the device named in the event metadata; "telemetry" turns
// each top-level key of `data` into a row. The sandbox has no TimescaleDB: rows go to the
// bridge's state (the newest TELEMETRY_LIMIT), instead of upstream's table that no script creates.
// Upstream takes these unauthenticated (§10.1 #2); here they need a tenant-realm token with
// cdm-admin or cdm-operator (a rule chain's REST node sends one from a service account).
import type { Router } from '../kit/router.js';
import { TENANT_WRITE_ROLES } from './auth.js';
import { audit, type Bridge } from './context.js';
import { allocate, backendFailure } from './enroll.js';
import { iso, type TelemetryRow } from './state.js';
import { readModel, type Model } from './validate.js';

const EVENT: Model = {
  msgType: { kind: 'string', required: false, default: 'UNKNOWN' },
  metadata: { kind: 'object', default: {} },
  data: { kind: 'object-or-string', default: {} },
};
export const TELEMETRY_LIMIT = 10_000;

function deviceIdOf(metadata: Record<string, unknown>): string | undefined {
  for (const k of ['deviceId', 'clientId', 'deviceName']) {
    const v = metadata[k];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

/** Python's type(v).__name__ for a JSON value, as upstream tags each row. */
function pyType(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  return Array.isArray(v) ? 'list' : 'dict';
}

export function registerWebhookRoutes(router: Router, b: Bridge): void {
  router.post('/webhooks/thingsboard', async (ctx) => {
    const caller = await b.tokens.require(ctx, TENANT_WRITE_ROLES);
    const ev = await readModel(ctx, EVENT);
    const metadata = ev['metadata'] as Record<string, unknown>;
    const id = deviceIdOf(metadata);
    const reply = (status: string, extra: { device_id?: string; wireguard_ip?: string; reason?: string }): void => {
      audit(b, { action: 'webhook.thingsboard', actor: caller.name, target: id ?? '', outcome: 'success', details: { msgType: ev['msgType'], status, ...extra } });
      ctx.send(200, { status, device_id: extra.device_id ?? null, wireguard_ip: extra.wireguard_ip ?? null, reason: extra.reason ?? null });
    };
    if (!id) return reply('ignored', { reason: 'No device_id found in event metadata' });
    const hb = b.hawkbit;
    const exists = hb ? await hb.exists(id).catch((err: unknown) => { throw backendFailure(err, 'hawkBit', 'hawkBit query failed'); }) : true;
    if (!exists) {
      const name = typeof metadata['deviceName'] === 'string' && metadata['deviceName'] ? metadata['deviceName'] : id;
      await hb!.create(id, name).catch((err: unknown) => { throw backendFailure(err, 'hawkBit', 'hawkBit provisioning failed'); });
    }
    const ip = allocate(b, id, (known) => (known ? {} : {
      device_name: typeof metadata['deviceName'] === 'string' && metadata['deviceName'] ? metadata['deviceName'] : id,
      device_type: typeof metadata['deviceType'] === 'string' && metadata['deviceType'] ? metadata['deviceType'] : 'generic',
      source: 'thingsboard_webhook', hawkbit_controller_id: hb ? id : null,
    }));
    reply(exists ? 'already_provisioned' : 'provisioned', { device_id: id, wireguard_ip: ip });
  });

  router.post('/webhooks/thingsboard/telemetry', async (ctx) => {
    const caller = await b.tokens.require(ctx, TENANT_WRITE_ROLES);
    const ev = await readModel(ctx, EVENT);
    const metadata = ev['metadata'] as Record<string, unknown>;
    const id = deviceIdOf(metadata);
    const rawTenant = metadata['tenantId'];
    const tenantId = rawTenant === undefined || rawTenant === null || rawTenant === '' ? 'unknown' : typeof rawTenant === 'string' ? rawTenant : JSON.stringify(rawTenant);
    const data = ev['data'];
    const entries = data !== null && typeof data === 'object' ? Object.entries(data as Record<string, unknown>) : [];
    const answer = (status: string, points: number, reason: string | null): void => {
      audit(b, { action: 'webhook.telemetry', actor: caller.name, target: id ?? '', outcome: 'success', details: { status, points_written: points, tenant_id: tenantId } });
      ctx.send(200, { status, device_id: id ?? null, tenant_id: id ? tenantId : null, points_written: points, reason });
    };
    if (!id) return answer('ignored', 0, 'No device_id found in event metadata');
    if (entries.length === 0) return answer('ignored', 0, 'No telemetry data in event');
    const time = iso(b.now());
    const rows: TelemetryRow[] = entries.map(([k, v]) => ({
      time, tenant_id: tenantId, device_id: id, metric_name: k,
      value: typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' ? v : null,
      tags: { raw_type: pyType(v) },
    }));
    b.store.update((s) => {
      s.telemetry.push(...rows);
      if (s.telemetry.length > TELEMETRY_LIMIT) s.telemetry.splice(0, s.telemetry.length - TELEMETRY_LIMIT);
    });
    answer('written', rows.length, null);
  });
}
