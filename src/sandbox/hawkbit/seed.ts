// Seeding a large fleet straight into the state (the sandbox's `cdm stack seed`): each target as
// POST /rest/v1/targets creates it (name = controllerId, a generated security token), then as its
// device's first DDI poll leaves it: `registered`, lastControllerRequestAt and the device's address.
// One store patch per batch.
import type { Hb } from './context.js';
import { lookup, setEntry } from './state.js';
import { newTarget } from './targets.js';

export interface SeedTarget {
  controllerId: string;
  createdAt: number;
  /** The device's last DDI poll. */
  lastPoll: number;
}

export interface TargetSeeding {
  /** The controller ids among `ids` that a target already has. */
  existing(ids: readonly string[]): string[];
  /** Adds the targets (ids checked free before), created by `user`. */
  seed(batch: readonly SeedTarget[], user: string): void;
}

/** Where the sandbox's simulated devices poll from. */
const DEVICE_ADDRESS = 'http://127.0.0.1';

export function createTargetSeeding(hb: Hb): TargetSeeding {
  return {
    existing: (ids) => ids.filter((id) => lookup(hb.store.state.targets, id) !== undefined),
    seed: (batch, user) => {
      hb.store.patch((s, touch) => {
        for (const b of batch) {
          const t = newTarget(b.controllerId, b.createdAt, user);
          t.updateStatus = 'registered';
          t.lastControllerRequestAt = b.lastPoll;
          t.address = DEVICE_ADDRESS;
          setEntry(s.targets, t.controllerId, t);
          touch('targets', t.controllerId);
        }
      });
      hb.targets.invalidate();
    },
  };
}
