// Seeding a large fleet straight into the state (the sandbox's `cdm stack seed`), in the shapes the
// REST API and the device side leave: a device as POST /api/device creates it (find-or-create
// profile of its type, ACCESS_TOKEN credentials with a random 20-character token, as ThingsBoard
// generates when none is given), its latest telemetry and its activity as a device's own traffic
// records them. One store patch per batch; no audit entries (no user made these devices).
import { randomUUID } from 'node:crypto';
import type { Tb } from './api.js';
import { recordActivity } from './activity.js';
import { newCredentials, randomToken } from './credentials.js';
import { DEFAULT_DEVICE_DATA } from './devices.js';
import { findOrCreateProfile } from './profiles.js';
import { NULL_UUID, type DeviceRec } from './state.js';
import { insertPoint } from './telemetry.js';
import { telemetryValue } from './values.js';

export interface SeedDevice {
  name: string;
  /** Device type: the profile, found or created by name. */
  type: string;
  createdTime: number;
  /** When the device last sent telemetry (also its last activity). */
  lastSeen: number;
  /** Latest time series, typed as the device transport types them. */
  telemetry: Record<string, number | string>;
}

export interface DeviceSeeding {
  /** The names among `names` that a device already has. */
  existing(names: readonly string[]): string[];
  /** Adds the devices (names checked free before); returns their ThingsBoard ids, in order. */
  seed(batch: readonly SeedDevice[]): string[];
}

export function createDeviceSeeding(tb: Tb): DeviceSeeding {
  return {
    existing: (names) => {
      // One pass over the fleet: a lookup by a name no device has scans it (device-index.ts).
      const taken = new Set(tb.store.state.devices.map((d) => d.name));
      return names.filter((n) => taken.has(n));
    },
    seed: (batch) => tb.store.patch((s, touch) => {
      const profiles = s.profiles.length;
      const ids = batch.map((d) => {
        const rec: DeviceRec = {
          id: randomUUID(), createdTime: d.createdTime, name: d.name, label: d.name,
          profileId: findOrCreateProfile(s, d.type, d.createdTime).id.id,
          additionalInfo: null, deviceData: DEFAULT_DEVICE_DATA, firmwareId: null, softwareId: null, externalId: null,
          customerId: NULL_UUID, version: 1,
        };
        touch('devices', s.devices.push(rec) - 1);
        // 62^20 possible tokens: a clash with an existing one is not worth a scan of them all.
        touch('credentials', s.credentials.push(newCredentials(rec.id, { credentialsType: 'ACCESS_TOKEN', credentialsId: randomToken(), credentialsValue: null }, d.createdTime)) - 1);
        for (const [key, value] of Object.entries(d.telemetry)) insertPoint(s, rec.id, key, d.lastSeen, telemetryValue(value));
        touch('timeseries', rec.id);
        recordActivity(s, rec.id, d.lastSeen, tb.activityTimeoutMs);
        touch('activity', rec.id);
        return rec.id;
      });
      if (s.profiles.length !== profiles) touch('profiles');
      return ids;
    }),
  };
}
