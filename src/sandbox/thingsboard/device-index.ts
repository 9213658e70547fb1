// Lookups of ThingsBoard devices by id and by name, and the tenant's devices sorted by name, kept
// beside the state instead of scanned or sorted per request: a fleet of 100,000 devices made every
// telemetry call (a scan for its device) and every device page (a sort of all of them) cost as much
// as the whole fleet. Nothing here has to be told about changes:
// - the lookups index the devices array positionally; devices are only appended in place (a delete
//   makes a new array), so new tail entries are indexed on the next lookup, and a hit is checked
//   against the array (a rename or any in-place change falls back to a scan and a rebuild). A miss
//   still scans, as every lookup did before: callers checking many absent names build a set;
// - the sorted order remembers the array, its length and the sum of the devices' versions, which
//   every update of a device bumps (ThingsBoard's optimistic-locking `version`).
import type { DeviceRec } from './state.js';

interface Positions { byId: Map<string, number>; byName: Map<string, number>; indexed: number }

const positions = new WeakMap<DeviceRec[], Positions>();

function positionsOf(devices: DeviceRec[]): Positions {
  let p = positions.get(devices);
  if (!p || devices.length < p.indexed) {
    p = { byId: new Map(), byName: new Map(), indexed: 0 };
    positions.set(devices, p);
  }
  for (let i = p.indexed; i < devices.length; i++) {
    const d = devices[i]!;
    p.byId.set(d.id, i);
    if (!p.byName.has(d.name)) p.byName.set(d.name, i);
  }
  p.indexed = devices.length;
  return p;
}

function find(devices: DeviceRec[], key: 'id' | 'name', value: string): DeviceRec | undefined {
  const p = positionsOf(devices);
  const i = (key === 'id' ? p.byId : p.byName).get(value);
  const hit = i === undefined ? undefined : devices[i];
  if (hit && hit[key] === value) return hit;
  // Not where the index says, or not indexed: the array changed in place. Scan, and rebuild next time.
  const found = devices.find((d) => d[key] === value);
  if (found || i !== undefined) positions.delete(devices);
  return found;
}

export const deviceById = (devices: DeviceRec[], id: string): DeviceRec | undefined => find(devices, 'id', id);
export const deviceByName = (devices: DeviceRec[], name: string): DeviceRec | undefined => find(devices, 'name', name);

interface Sorted { length: number; versions: number; desc: boolean; order: DeviceRec[] }

const sortedByName = new WeakMap<DeviceRec[], Sorted>();
/** What paging.ts's `localeCompare(…, 'en')` does, without creating a collator per comparison. */
const collator = new Intl.Collator('en');

/**
 * The devices ordered by name as paging.ts's toPage orders them (collation `en`, ties in array
 * order), ascending or descending.
 */
export function devicesByName(devices: DeviceRec[], desc: boolean): readonly DeviceRec[] {
  let versions = 0;
  for (const d of devices) versions += d.version;
  const cached = sortedByName.get(devices);
  if (cached && cached.length === devices.length && cached.versions === versions && cached.desc === desc) {
    if (process.env.CDM_SANDBOX_STORE_CHECK === '1') assertSame(cached.order, sortByName(devices, desc));
    return cached.order;
  }
  const order = sortByName(devices, desc);
  sortedByName.set(devices, { length: devices.length, versions, desc, order });
  return order;
}

function sortByName(devices: DeviceRec[], desc: boolean): DeviceRec[] {
  const sign = desc ? -1 : 1;
  return devices.map((d, i) => ({ d, i })).sort((a, b) => (collator.compare(a.d.name, b.d.name) * sign) || a.i - b.i).map((x) => x.d);
}

/** Tests run with the store check: a change this cache missed would show as a different order. */
function assertSame(cached: readonly DeviceRec[], fresh: readonly DeviceRec[]): void {
  if (cached.length !== fresh.length || cached.some((d, i) => d !== fresh[i])) {
    throw new Error('ThingsBoard device order is stale: a device changed without its version being bumped');
  }
}
