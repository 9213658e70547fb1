// WireGuard address plan and client config (cdm-platform.md §2.3.4–6, §3.6): the server holds the
// subnet's first host address; devices get the lowest free host address in ascending order. Unlike
// upstream, an address is released when its device is deleted (§10.4 #33), and the peer's public
// key is kept with the device instead of being appended to wg0.conf again on every re-enrollment.
import type { DeviceRec } from './state.js';

export interface WireGuardPlan {
  subnet: string;
  network: number;
  prefix: number;
  serverIp: string;
  serverPublicKey: string;
  endpoint: string;
}

export const DEFAULT_WIREGUARD = {
  subnet: '10.13.13.0/24',
  /** What upstream returns when server/publickey is absent (§2.3.6). */
  serverPublicKey: '<SERVER_PUBLIC_KEY – run: docker exec cdm-wireguard cat /config/server/publickey>',
  endpoint: 'localhost:51820',
};

const toInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function planFrom(o: { subnet: string; serverPublicKey: string; endpoint: string }): WireGuardPlan {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(o.subnet.trim());
  if (!m || m[1]!.split('.').some((x) => Number(x) > 255) || Number(m[2]) > 30) throw new Error(`bridge: invalid WireGuard subnet ${o.subnet}`);
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(toInt(m[1]!) / size) * size;
  return { subnet: `${toIp(network)}/${prefix}`, network, prefix, serverIp: toIp(network + 1), serverPublicKey: o.serverPublicKey, endpoint: o.endpoint };
}

/** Addresses seen so far → their number; bounded by the subnets' sizes. */
const ipNumbers = new Map<string, number>();
function ipNumber(ip: string): number {
  let n = ipNumbers.get(ip);
  if (n === undefined) {
    n = toInt(ip);
    ipNumbers.set(ip, n);
  }
  return n;
}

/** The lowest host address that is neither the server's nor assigned; undefined when the subnet is full. */
export function nextFreeIp(plan: WireGuardPlan, devices: Record<string, DeviceRec>): string | undefined {
  // Numbers, not strings, and parsed once: this runs once per enrollment over the whole fleet.
  const used = new Set<number>();
  for (const d of Object.values(devices)) used.add(ipNumber(d.wireguard_ip));
  used.add(toInt(plan.serverIp));
  const last = plan.network + 2 ** (32 - plan.prefix) - 2; // the broadcast address is not a host
  for (let n = plan.network + 1; n <= last; n++) if (!used.has(n)) return toIp(n);
  return undefined;
}

/**
 * The `count` lowest free host addresses in ascending order (fewer when the subnet runs out): what
 * `count` enrollments one after another would get, found in one pass (seeding a fleet).
 */
export function freeIps(plan: WireGuardPlan, devices: Record<string, DeviceRec>, count: number): string[] {
  const used = new Set<number>();
  for (const d of Object.values(devices)) used.add(ipNumber(d.wireguard_ip));
  used.add(toInt(plan.serverIp));
  const last = plan.network + 2 ** (32 - plan.prefix) - 2;
  const free: string[] = [];
  for (let n = plan.network + 1; n <= last && free.length < count; n++) if (!used.has(n)) free.push(toIp(n));
  return free;
}

/** The client wg0.conf text returned at enrollment; the device substitutes its private key. */
export function clientConfig(plan: WireGuardPlan, deviceId: string, ip: string): string {
  return [
    '[Interface]',
    `# Device: ${deviceId}`,
    `Address = ${ip}/${plan.prefix}`,
    'PrivateKey = <REPLACE_WITH_DEVICE_PRIVATE_KEY>',
    `DNS = ${plan.serverIp}`,
    '',
    '[Peer]',
    `PublicKey = ${plan.serverPublicKey}`,
    `Endpoint = ${plan.endpoint}`,
    `AllowedIPs = ${plan.subnet}`,
    'PersistentKeepalive = 25',
    '',
  ].join('\n');
}
