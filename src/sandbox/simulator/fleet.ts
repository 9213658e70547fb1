// A simulated fleet of one tenant: enrolls its devices with bounded concurrency, then polls each
// device every `pollMs` from one shared timer (not a timer per device), with a cap on requests in
// flight so that 1,000 devices do not starve the emulators sharing this process.
import { SimulatedDevice, type DeviceLinks } from './device.js';
import { deviceRng } from './rng.js';

export interface FleetOptions {
  tenant: string;
  devices: number;
  failRate: number;
  pollMs: number;
  /** Fraction of devices that run hot (CPU above 85 %). */
  cpuHot: number;
  seed: number;
  /** First device number (a second simulation adds devices after the first ones). */
  firstIndex?: number;
}

export interface FleetStatus {
  tenant: string;
  devices: number;
  enrolled: number;
  enrollFailed: number;
  polls: number;
  updatesStarted: number;
  updatesInstalled: number;
  updatesFailed: number;
  pollErrors: number;
  lastError?: string;
  running: boolean;
  options: FleetOptions;
}

const ENROLL_CONCURRENCY = 8;
const POLL_CONCURRENCY = 32;
const TICK_MS = 50;

export class Fleet {
  private readonly devices: SimulatedDevice[] = [];
  private readonly nextPoll = new Map<SimulatedDevice, number>();
  private readonly inFlight = new Set<SimulatedDevice>();
  private timer: NodeJS.Timeout | undefined;
  private readonly stats = { enrolled: 0, enrollFailed: 0, polls: 0, updatesStarted: 0, updatesInstalled: 0, updatesFailed: 0, pollErrors: 0, lastError: undefined as string | undefined };
  private stopped = false;
  readonly enrolling: Promise<void>;

  constructor(readonly options: FleetOptions, links: DeviceLinks, private readonly now: () => number = Date.now) {
    const first = options.firstIndex ?? 1;
    const hotCount = Math.round(options.devices * options.cpuHot);
    for (let i = 0; i < options.devices; i++) {
      const rng = deviceRng(options.seed, first + i);
      const id = `sim-${options.tenant}-${String(first + i).padStart(4, '0')}`;
      this.devices.push(new SimulatedDevice(id, links, { failRate: options.failRate, hot: i < hotCount, rng }));
    }
    this.enrolling = this.enrollAll();
  }

  status(): FleetStatus {
    const { lastError, ...counts } = this.stats;
    return { tenant: this.options.tenant, devices: this.devices.length, ...counts, ...(lastError ? { lastError } : {}), running: !this.stopped, options: this.options };
  }

  deviceIds(): string[] {
    return this.devices.map((d) => d.id);
  }

  /** Stops polling and waits for requests in flight; devices stay enrolled. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.enrolling.catch(() => undefined);
    while (this.inFlight.size > 0) await new Promise((r) => setTimeout(r, 10));
  }

  private async enrollAll(): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!this.stopped && next < this.devices.length) {
        const device = this.devices[next++]!;
        try {
          await device.enroll();
          this.stats.enrolled++;
          // Spread first polls over one interval so the fleet does not poll in lockstep.
          this.nextPoll.set(device, this.now() + Math.floor((this.stats.enrolled * this.options.pollMs) / this.devices.length));
        } catch (err) {
          this.stats.enrollFailed++;
          this.stats.lastError = `${device.id}: ${(err as Error).message}`;
        }
      }
    };
    if (!this.stopped) this.timer = setInterval(() => this.tick(), TICK_MS);
    await Promise.all(Array.from({ length: Math.min(ENROLL_CONCURRENCY, this.devices.length) }, worker));
  }

  private tick(): void {
    const now = this.now();
    for (const [device, due] of this.nextPoll) {
      if (this.inFlight.size >= POLL_CONCURRENCY || this.stopped) return;
      if (due > now || this.inFlight.has(device)) continue;
      this.nextPoll.set(device, now + this.options.pollMs);
      this.inFlight.add(device);
      device.poll().then((outcome) => {
        this.stats.polls++;
        if (outcome === 'started') this.stats.updatesStarted++;
        if (outcome === 'installed') this.stats.updatesInstalled++;
        if (outcome === 'failed') this.stats.updatesFailed++;
      }, (err: Error) => {
        this.stats.pollErrors++;
        this.stats.lastError = `${device.id}: ${err.message}`;
      }).finally(() => this.inFlight.delete(device));
    }
  }
}
