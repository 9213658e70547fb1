// Lookups of ThingsBoard devices by id and by name, and the tenant's devices sorted by name, kept
// beside the state instead of scanned or sorted per request: a fleet of 100,000 devices made every
// telemetry call (a scan for its device), every new device (a scan for its name) and every device
// page (a sort of all of them) cost as much as the whole fleet.
// - the lookups are kit/field-index.ts indexes: appends and new arrays need no telling; saveDevice
//   calls devicesChangedInPlace() when it renames a device;
// - the sorted order remembers the array, its length and the sum of the devices' versions, which
//   every update of a device bumps (ThingsBoard's optimistic-locking `version`).
import { FieldIndex } from '../kit/field-index.js';
import type { DeviceRec } from './state.js';

const byId = new FieldIndex<DeviceRec>('ThingsBoard device id', (d) => d.id);
const byName = new FieldIndex<DeviceRec>('ThingsBoard device name', (d) => d.name);

export const deviceById = (devices: DeviceRec[], id: string): DeviceRec | undefined => byId.find(devices, id);
export const deviceByName = (devices: DeviceRec[], name: string): DeviceRec | undefined => byName.find(devices, name);

/** A device of this array changed its name (or id) in place. */
export function devicesChangedInPlace(devices: DeviceRec[]): void {
  byId.forget(devices);
  byName.forget(devices);
}

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
