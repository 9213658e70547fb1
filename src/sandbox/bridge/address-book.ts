// The WireGuard addresses in use, kept next to the device records so an allocation does not scan
// the whole fleet (once per enrollment, that made bulk enrollment quadratic). Devices get the
// lowest free host address; a deleted device's address is free again (wireguard.ts). Every writer
// of device records keeps the book in step: enroll (take), seed (take), delete (release). In tests
// (CDM_SANDBOX_STORE_CHECK=1) each allocation compares the book with a fresh count of the records.
import type { DeviceRec } from './state.js';
import { toInt, toIp, type WireGuardPlan } from './wireguard.js';

export class AddressBook {
  private used: Set<number> | undefined;
  /** No address below this one is free. */
  private lowestCandidate: number;

  constructor(private readonly plan: WireGuardPlan, private readonly devices: () => Record<string, DeviceRec>) {
    this.lowestCandidate = plan.network + 1;
  }

  /** The `count` lowest free host addresses, ascending (fewer when the subnet runs out); nothing is taken. */
  lowestFree(count = 1): string[] {
    const used = this.inUse(true);
    const last = this.plan.network + 2 ** (32 - this.plan.prefix) - 2; // the broadcast address is not a host
    const free: string[] = [];
    let n = this.lowestCandidate;
    while (n <= last && used.has(n)) n++;
    this.lowestCandidate = n;
    for (; n <= last && free.length < count; n++) if (!used.has(n)) free.push(toIp(n));
    return free;
  }

  take(ip: string): void {
    this.inUse().add(toInt(ip));
  }

  release(ip: string): void {
    const n = toInt(ip);
    if (this.inUse().delete(n)) this.lowestCandidate = Math.min(this.lowestCandidate, n);
  }

  /** `verify`: in check mode, compare with the records (only where they and the book must agree). */
  private inUse(verify = false): Set<number> {
    if (!this.used) {
      this.used = this.count();
    } else if (verify && process.env['CDM_SANDBOX_STORE_CHECK'] === '1') {
      const fresh = this.count();
      if (fresh.size !== this.used.size || [...fresh].some((n) => !this.used!.has(n))) {
        throw new Error('bridge address book out of step with the device records (a writer did not take or release its address)');
      }
    }
    return this.used;
  }

  private count(): Set<number> {
    const used = new Set<number>([toInt(this.plan.serverIp)]);
    for (const d of Object.values(this.devices())) used.add(toInt(d.wireguard_ip));
    return used;
  }
}
