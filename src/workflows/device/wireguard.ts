// The device's WireGuard client config: the bridge answers with `PrivateKey =
// <REPLACE_WITH_DEVICE_PRIVATE_KEY>` (reference §2.2), which cdm fills in with the private key made
// here (src/pki/wireguard-keys.ts) that never left this machine.

/** The bridge's client config with the private key filled in (a `PrivateKey` line added if absent). */
export function fillWgConfig(config: string, privateKey: string): string {
  if (/^\s*PrivateKey\s*=.*$/m.test(config)) return config.replace(/^(\s*PrivateKey\s*=).*$/m, `$1 ${privateKey}`);
  return config.replace(/^\[Interface\]\s*$/m, `[Interface]\nPrivateKey = ${privateKey}`);
}
