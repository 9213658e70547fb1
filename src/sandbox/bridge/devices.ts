// The device routes the CLI needs beyond upstream (commands.md §7): GET /devices, GET and DELETE
// /devices/{id}. GET /devices pages with `offset`/`limit` and takes repeated `device_id` parameters
// (FastAPI's list query) to answer only those devices: a client merging one page of devices from
// ThingsBoard asks for that page's ids instead of reading the whole fleet. DELETE removes the
// WireGuard peer and releases its address for the next
// enrollment (upstream never frees one, §2.3.4); ThingsBoard, hawkBit and the certificate are the
// CLI's own steps of `device isolate`.
import type { Router } from '../kit/router.js';
import { TENANT_READ_ROLES, TENANT_WRITE_ROLES } from './auth.js';
import { audit, type Bridge } from './context.js';
import { httpError, invalid } from './errors.js';
import { devicesWithIds, orderedDeviceIds } from './device-order.js';
import { lookup, type DeviceRec } from './state.js';

function find(b: Bridge, id: string): DeviceRec {
  const d = lookup(b.store.state.devices, id);
  if (!d) throw httpError(404, `Device '${id}' not found`);
  return d;
}

function intParam(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw invalid([{ type: 'int_parsing', loc: ['query', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw }]);
  return Number(raw);
}

export function registerDeviceRoutes(router: Router, b: Bridge): void {
  router.get('/devices', async (ctx) => {
    await b.tokens.require(ctx, TENANT_READ_ROLES);
    const offset = intParam(ctx.query, 'offset', 0);
    const limit = intParam(ctx.query, 'limit', Number.MAX_SAFE_INTEGER);
    const devices = b.store.state.devices;
    const wanted = ctx.query.getAll('device_id');
    if (wanted.length > 0) {
      const found = devicesWithIds(devices, wanted);
      return ctx.send(200, { devices: found.slice(offset, offset + limit), total: found.length });
    }
    const ordered = orderedDeviceIds(devices);
    ctx.send(200, { devices: ordered.slice(offset, offset + limit).map((id) => lookup(devices, id)!), total: ordered.length });
  });

  router.get('/devices/:deviceId', async (ctx) => {
    await b.tokens.require(ctx, TENANT_READ_ROLES);
    ctx.send(200, find(b, ctx.params['deviceId']!));
  });

  router.delete('/devices/:deviceId', async (ctx) => {
    const caller = await b.tokens.require(ctx, TENANT_WRITE_ROLES);
    const d = find(b, ctx.params['deviceId']!);
    b.store.patch((s, touch) => {
      delete s.devices[d.device_id];
      touch('devices', d.device_id);
    });
    b.addresses.release(d.wireguard_ip);
    audit(b, {
      action: 'device.delete', actor: caller.name, target: d.device_id, outcome: 'success',
      details: { released_ip: d.wireguard_ip, wg_public_key: d.wg_public_key, cert_serial: d.cert_serial },
    });
    ctx.send(200, { device_id: d.device_id, status: 'deleted', released_ip: d.wireguard_ip, wg_public_key: d.wg_public_key });
  });
}
