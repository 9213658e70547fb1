// `cdm cert list|show`: views over the local inventory (see inventory.ts for why it is local).
import { NotFoundError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { parseSerial } from '../../pki/serial.js';
import { Inventory, statusOf, type CertStatus, type InventoryRecord } from './inventory.js';

export interface InventoryItem extends InventoryRecord {
  status: CertStatus;
  context: string;
}

export interface ListFilter {
  /** Only certificates still valid, and not yet renewed with cdm, that expire within this many ms. */
  expiringMs?: number;
  revoked?: boolean;
  /** The certificate the tenant bridge recorded for this device (merged with the inventory's record). */
  device?: string;
}

function item(r: InventoryRecord, context: string, now: number): InventoryItem {
  return { ...r, status: statusOf(r, now), context };
}

export async function listInventory(f: Factory, filter: ListFilter): Promise<{ items: InventoryItem[]; file: string }> {
  const ctx = await f.context();
  const inv = Inventory.open(f.paths.stateDir, ctx.name);
  const now = f.clock();
  let items = inv.all().map((r) => item(r, ctx.name, now));
  if (filter.device !== undefined) items = [await deviceItem(f, filter.device, inv, ctx.name, now)];
  if (filter.revoked) items = items.filter((r) => r.status === 'revoked');
  if (filter.expiringMs !== undefined) {
    const limit = now + filter.expiringMs;
    // A certificate cdm already renewed needs nothing more: its successor is listed on its own.
    items = items.filter((r) => r.status === 'valid' && r.renewedBy === undefined && r.notAfter !== null && Date.parse(r.notAfter) <= limit);
  }
  return { items, file: inv.path };
}

export async function showInventory(f: Factory, serialText: string): Promise<InventoryItem> {
  const serial = parseSerial(serialText);
  const ctx = await f.context();
  const inv = Inventory.open(f.paths.stateDir, ctx.name);
  const r = inv.get(serial.decimal);
  if (!r) {
    throw new NotFoundError(`serial ${serial.decimal} is not in cdm's certificate inventory of context "${ctx.name}"`, {
      hint: 'step-ca has no API to look certificates up; the inventory holds what cdm issued, renewed or revoked here. Inspect a file with `cdm cert inspect <file>`',
    });
  }
  return item(r, ctx.name, f.clock());
}

async function deviceItem(f: Factory, device: string, inv: Inventory, context: string, now: number): Promise<InventoryItem> {
  const { getBridgeDevice } = await import('../bridge/devices.js');
  const d = await getBridgeDevice(f, device);
  if (!d.cert_serial) throw new NotFoundError(`the bridge has no certificate serial for device "${device}"`, { service: 'bridge' });
  const serial = parseSerial(d.cert_serial);
  const known = inv.get(serial.decimal);
  if (known) return item(known, context, now);
  return item({
    serial: serial.decimal, serialHex: serial.hex, commonName: device, sans: [], notBefore: null, notAfter: d.cert_not_after ?? null,
    isCA: false, provisioner: null, source: 'bridge', recordedAt: d.enrolled_at ?? new Date(now).toISOString(),
  }, context, now);
}
