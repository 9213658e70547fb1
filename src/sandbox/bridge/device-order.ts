// GET /devices answers in device_id order. Sorting every device for each page made paging through a
// large fleet quadratic, so the order is kept with the list of keys it was made from and reused
// while the keys are the same (enrollment, webhooks and deletion add and remove keys; nothing else
// changes the set). Comparing the key lists costs one pass, not a sort.
import { lookup, type DeviceRec } from './state.js';

/** `a.localeCompare(b)` (the route's order), without creating a collator per comparison. */
const collator = new Intl.Collator();

interface Ordered { keys: string[]; ordered: string[] }

const orders = new WeakMap<Record<string, DeviceRec>, Ordered>();

/** Every device id in device_id order (the collation of `localeCompare`, ties in insertion order). */
export function orderedDeviceIds(devices: Record<string, DeviceRec>): readonly string[] {
  const keys = Object.keys(devices);
  const known = orders.get(devices);
  if (known && known.keys.length === keys.length && known.keys.every((k, i) => k === keys[i])) return known.ordered;
  const ordered = [...keys].sort((x, y) => collator.compare(lookup(devices, x)!.device_id, lookup(devices, y)!.device_id));
  orders.set(devices, { keys, ordered });
  return ordered;
}

/** The devices with these ids, in device_id order; unknown ids are left out. */
export function devicesWithIds(devices: Record<string, DeviceRec>, ids: readonly string[]): DeviceRec[] {
  const found = [...new Set(ids)].map((id) => lookup(devices, id)).filter((d): d is DeviceRec => d !== undefined);
  return found.sort((x, y) => collator.compare(x.device_id, y.device_id));
}
