// Seeding a large fleet straight into the tenant bridge's state (the sandbox's `cdm stack seed`):
// each device record as enrollment leaves it (source `enroll`, the lowest free WireGuard addresses
// in order, the hawkBit and ThingsBoard ids), with certificate facts the caller supplies. No
// certificate is issued: a seeded fleet's serials and expiry dates are plausible values only.
// One store patch per batch; no audit events (nobody enrolled these devices).
import type { Bridge } from './context.js';
import { iso, lookup, setEntry } from './state.js';

export interface SeedEnrollment {
  deviceId: string;
  deviceType: string;
  thingsboardId: string;
  enrolledAt: number;
  wgPublicKey: string;
  certSerial: string;
  certNotAfter: number;
}

export interface EnrollmentSeeding {
  /** The ids among `ids` that the bridge already knows. */
  existing(ids: readonly string[]): string[];
  /** WireGuard addresses left for `wanted` devices (at most `wanted`, so the count stays cheap). */
  freeAddresses(wanted: number): number;
  /** Adds the records (ids checked free before); returns their WireGuard addresses, in order. */
  seed(batch: readonly SeedEnrollment[]): string[];
  /** The subnet addresses come from, for messages. */
  readonly subnet: string;
}

export function createEnrollmentSeeding(b: Bridge): EnrollmentSeeding {
  return {
    subnet: b.wireguard.subnet,
    existing: (ids) => ids.filter((id) => lookup(b.store.state.devices, id) !== undefined),
    freeAddresses: (wanted) => b.addresses.lowestFree(wanted).length,
    seed: (batch) => b.store.patch((s, touch) => {
      const ips = b.addresses.lowestFree(batch.length);
      if (ips.length < batch.length) throw new Error(`WireGuard subnet ${b.wireguard.subnet} exhausted`);
      return batch.map((e, i) => {
        const at = iso(e.enrolledAt);
        setEntry(s.devices, e.deviceId, {
          device_id: e.deviceId, device_name: e.deviceId, device_type: e.deviceType, source: 'enroll', wireguard_ip: ips[i]!,
          wg_public_key: e.wgPublicKey, cert_serial: e.certSerial, cert_not_after: iso(e.certNotAfter),
          hawkbit_controller_id: e.deviceId, thingsboard_device_id: e.thingsboardId, enrolled_at: at, updated_at: at,
        });
        touch('devices', e.deviceId);
        b.addresses.take(ips[i]!);
        return ips[i]!;
      });
    }),
  };
}
