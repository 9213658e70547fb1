// WireGuard address plan and client config (cdm-platform.md §2.3.4–6, §3.6): the server holds the
// subnet's first host address; devices get the lowest free host address in ascending order. Unlike
// upstream, an address is released when its device is deleted (§10.4 #33), and the peer's public
// key is kept with the device instead of being appended to wg0.conf again on every re-enrollment.

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

export const toInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
export const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function planFrom(o: { subnet: string; serverPublicKey: string; endpoint: string }): WireGuardPlan {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(o.subnet.trim());
  if (!m || m[1]!.split('.').some((x) => Number(x) > 255) || Number(m[2]) > 30) throw new Error(`bridge: invalid WireGuard subnet ${o.subnet}`);
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(toInt(m[1]!) / size) * size;
  return { subnet: `${toIp(network)}/${prefix}`, network, prefix, serverIp: toIp(network + 1), serverPublicKey: o.serverPublicKey, endpoint: o.endpoint };
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
