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
  /** Only certificates still valid that expire within this many ms. */
  expiringMs?: number;
  revoked?: boolean;
}

function item(r: InventoryRecord, context: string, now: number): InventoryItem {
  return { ...r, status: statusOf(r, now), context };
}

export async function listInventory(f: Factory, filter: ListFilter): Promise<{ items: InventoryItem[]; file: string }> {
  const ctx = await f.context();
  const inv = Inventory.open(f.paths.stateDir, ctx.name);
  const now = f.clock();
  let items = inv.all().map((r) => item(r, ctx.name, now));
  if (filter.revoked) items = items.filter((r) => r.status === 'revoked');
  if (filter.expiringMs !== undefined) {
    const limit = now + filter.expiringMs;
    items = items.filter((r) => r.status === 'valid' && r.notAfter !== null && Date.parse(r.notAfter) <= limit);
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
