// Seeding a tenant's fleet (`cdm stack seed`): N devices put straight into the tenant's ThingsBoard
// (device, latest telemetry, activity), hawkBit (target, registered by a first poll) and bridge
// (enrollment record with a WireGuard address and certificate facts), in batches, each batch one
// store patch per emulator. What a simulated device leaves after enrolling and reporting once, at a
// speed enrollment through the APIs cannot reach (100,000 devices in seconds, not hours). Values are
// drawn per device from the seed, like the simulator's; the first --cpu-hot share runs hot, the last
// --offline share was last seen hours ago. No certificates are issued and no audit trail is written.
import { randomBytes } from 'node:crypto';
import type { EnrollmentSeeding } from '../bridge/seed.js';
import type { TargetSeeding } from '../hawkbit/seed.js';
import { deviceRng } from '../simulator/rng.js';
import type { DeviceSeeding } from '../thingsboard/seed.js';
import { seedDeviceId } from './seed-ids.js';

export interface SeedOptions {
  tenant: string;
  devices: number;
  /** Device ids are `<prefix><n>` (seed-ids.ts). */
  prefix: string;
  /** Share of devices running above 85 % CPU. */
  cpuHot: number;
  /** Share of devices last seen hours ago (offline in ThingsBoard). */
  offline: number;
  seed: number;
}

export interface SeedStatus {
  tenant: string;
  devices: number;
  seeded: number;
  firstId: string;
  lastId: string;
  running: boolean;
  elapsedMs: number;
  error?: string;
}

/** The seeding side of one tenant stack's emulators. */
export interface SeedTargets {
  thingsboard: DeviceSeeding;
  hawkbit: TargetSeeding;
  bridge: EnrollmentSeeding;
}

/** The type (ThingsBoard profile, bridge device_type) simulated devices enroll with. */
const DEVICE_TYPE = 'cdm-sim-board';
/** hawkBit user the bridge creates targets as (the stack's Management API user). */
const HAWKBIT_USER = 'admin';
const BATCH = 1000;
const DAY = 86_400_000;
/** Device certificates of the CDM stack's step-ca (duration claim of the iot-bridge provisioner). */
const CERT_VALIDITY = 30 * DAY;

const deviceId = (opts: SeedOptions, n: number): string => seedDeviceId(opts.prefix, opts.devices, n);

/** Why the seed cannot run (an id taken, the WireGuard subnet too small), checked before anything changes. */
export function seedConflict(opts: SeedOptions, t: SeedTargets): string | undefined {
  const ids = Array.from({ length: opts.devices }, (_, k) => deviceId(opts, k + 1));
  for (const [service, seeding] of [['ThingsBoard', t.thingsboard], ['hawkBit', t.hawkbit], ['the bridge', t.bridge]] as const) {
    const taken = seeding.existing(ids);
    if (taken.length > 0) return `device ${taken[0]} already exists in ${service}; choose another --prefix`;
  }
  const free = t.bridge.freeAddresses(opts.devices);
  if (free < opts.devices) return `the WireGuard subnet ${t.bridge.subnet} has ${free} free addresses, fewer than ${opts.devices} devices`;
  return undefined;
}

export class FleetSeed {
  private seeded = 0;
  private running = true;
  private error: string | undefined;
  private stopping = false;
  private readonly started: number;
  private finished: number | undefined;
  readonly done: Promise<void>;

  constructor(readonly options: SeedOptions, private readonly targets: SeedTargets, private readonly now: () => number = Date.now) {
    this.started = now();
    this.done = this.run().catch((err: unknown) => { this.error = (err as Error).message; }).finally(() => {
      this.running = false;
      this.finished = this.now();
    });
  }

  /** Ends the seed after the batch in progress (the sandbox is stopping); what was seeded stays. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.done;
  }

  status(): SeedStatus {
    const o = this.options;
    return {
      tenant: o.tenant, devices: o.devices, seeded: this.seeded, firstId: deviceId(o, 1), lastId: deviceId(o, o.devices),
      running: this.running, elapsedMs: (this.finished ?? this.now()) - this.started, ...(this.error ? { error: this.error } : {}),
    };
  }

  private async run(): Promise<void> {
    const o = this.options;
    const hotCount = Math.round(o.devices * o.cpuHot);
    const offlineFrom = o.devices - Math.round(o.devices * o.offline);
    for (let from = 1; from <= o.devices; from += BATCH) {
      if (this.stopping) throw new Error(`stopped with the sandbox after ${this.seeded} devices`);
      const now = this.now();
      const batch = Array.from({ length: Math.min(BATCH, o.devices - from + 1) }, (_, k) => {
        const n = from + k;
        return draw(deviceId(o, n), deviceRng(o.seed, n), n - 1 < hotCount, n - 1 >= offlineFrom, now);
      });
      const tbIds = this.targets.thingsboard.seed(batch.map((d) => ({
        name: d.id, type: DEVICE_TYPE, createdTime: d.enrolledAt, lastSeen: d.lastSeen,
        telemetry: { cpu_percent: d.cpu, disk_percent: d.disk, sw_version: '1.0.0', ota_status: 'idle', rauc_slot: 'A' },
      })));
      this.targets.hawkbit.seed(batch.map((d) => ({ controllerId: d.id, createdAt: d.enrolledAt, lastPoll: d.lastSeen })), HAWKBIT_USER);
      this.targets.bridge.seed(batch.map((d, i) => ({
        deviceId: d.id, deviceType: DEVICE_TYPE, thingsboardId: tbIds[i]!, enrolledAt: d.enrolledAt,
        wgPublicKey: randomBytes(32).toString('base64'), certSerial: BigInt(`0x${randomBytes(16).toString('hex')}`).toString(10),
        certNotAfter: d.enrolledAt + CERT_VALIDITY,
      })));
      this.seeded += batch.length;
      // Let the sandbox answer its clients between batches.
      await new Promise((r) => setImmediate(r));
    }
  }
}

interface Drawn { id: string; cpu: number; disk: number; enrolledAt: number; lastSeen: number }

/** One device's values, as the simulator draws them (cpu 5–40 %, hot 85–99 %, disk 20–60 %). */
function draw(id: string, rng: () => number, hot: boolean, offline: boolean, now: number): Drawn {
  const cpu = round(hot ? 85 + rng() * 14 : 5 + rng() * 35);
  const disk = round(20 + rng() * 40);
  // Enrolled 2 to 29 days ago (certificates expire in 1 to 28 days); online devices reported
  // within the last minute, offline ones 1 to 48 hours ago.
  const enrolledAt = now - 2 * DAY - Math.floor(rng() * 27 * DAY);
  const ago = offline ? 3_600_000 + rng() * 47 * 3_600_000 : rng() * 60_000;
  return { id, cpu, disk, enrolledAt, lastSeen: Math.floor(now - ago) };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
