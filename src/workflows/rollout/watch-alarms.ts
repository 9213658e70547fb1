// `cdm rollout status --watch --pause-on-alarms`: on every poll, the devices the rollout has
// updated so far (its actions that finished or are under way; not the scheduled, failed or
// cancelled ones) are checked in ThingsBoard for ACTIVE alarms raised since the rollout started
// (its first action). The first one found pauses the rollout through hawkBit, and the watch ends
// with exit 7 naming the device and the alarm. ThingsBoard is logged into before the watch begins
// (a missing URL or credential is exit 2 before anything runs); an alarm read failing later ends
// the watch with that error and says the rollout was NOT paused: a guard that silently stops
// guarding is worse than a watch that stops.
import { ConflictError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { AlarmReader } from './alarms.js';
import type { Hawkbit } from './connect.js';
import { canaryActions } from './gate.js';
import { readStatus, type RolloutStatusReport } from './status.js';

/** Action states of a device the rollout has updated or is updating. */
const UPDATED = new Set(['finished', 'running', 'retrieved', 'download', 'downloaded', 'warning']);

export interface AlarmTrip {
  device: string;
  type: string;
  severity: string;
  /** When ThingsBoard says the alarm started (ISO). */
  raisedAt: string;
  /** What cdm did: paused the rollout, or found it no longer running (finished/paused meanwhile). */
  action: 'paused' | 'not-running';
}

export interface UpdatedDevices {
  devices: string[];
  /** Epoch ms of the rollout's first action; undefined while it has none. */
  since?: number;
}

/** The devices updated so far and when the rollout started, from its actions. */
export async function updatedDevices(hb: Hawkbit, rolloutId: number): Promise<UpdatedDevices> {
  const all = [];
  for await (const a of hb.rollouts.actions(rolloutId)) all.push(a);
  const actions = canaryActions(all);
  const times = actions.map((a) => a.createdAt).filter((x): x is number => x !== undefined);
  const devices = [...new Set(actions.filter((a) => UPDATED.has(a.status)).map((a) => a.target))].sort();
  return { devices, ...(times.length ? { since: Math.min(...times) } : {}) };
}

export class AlarmGuard {
  private constructor(private readonly hb: Hawkbit, private readonly reader: AlarmReader) {}

  /** Logs into ThingsBoard now, so that a missing credential is refused before the watch. */
  static async open(f: Factory, hb: Hawkbit): Promise<AlarmGuard> {
    return new AlarmGuard(hb, await AlarmReader.open(f));
  }

  /** The first active alarm on an updated device, or undefined. */
  async check(report: RolloutStatusReport): Promise<Omit<AlarmTrip, 'action'> | undefined> {
    const { devices, since } = await updatedDevices(this.hb, report.id);
    if (since === undefined) return undefined;
    for (const device of devices) {
      let found;
      try {
        found = await this.reader.activeSince(device, since);
      } catch (err) {
        throw Object.assign(err as Error, { message: `reading the alarms of ${device} failed; the rollout was NOT paused: ${(err as Error).message}` });
      }
      const first = found.active.sort((a, b) => a.startTs - b.startTs)[0];
      if (first) return { device, type: first.type, severity: first.severity, raisedAt: new Date(first.startTs).toISOString() };
    }
    return undefined;
  }

  /** Pauses the rollout for an alarm; hawkBit refusing (it finished or paused meanwhile) is reported, not thrown. */
  async pause(report: RolloutStatusReport, trip: Omit<AlarmTrip, 'action'>): Promise<{ report: RolloutStatusReport; trip: AlarmTrip }> {
    let action: AlarmTrip['action'] = 'paused';
    try {
      await this.hb.rollouts.op(report.id, 'pause');
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      action = 'not-running';
    }
    return { report: await readStatus(this.hb, report.id), trip: { ...trip, action } };
  }
}
