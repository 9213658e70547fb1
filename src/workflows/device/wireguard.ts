// The device's WireGuard key pair, made here (Curve25519 via node:crypto x25519), and its client
// config: the bridge answers with `PrivateKey = <REPLACE_WITH_DEVICE_PRIVATE_KEY>` (reference
// §2.2), which cdm fills in with the private key that never left this machine.
import { generateKeyPair, type KeyObject } from 'node:crypto';

export interface WgKeyPair { privateKey: string; publicKey: string }

/** Base64 of the raw 32-byte keys, as `wg genkey | wg pubkey` prints them. */
export async function generateWgKeyPair(): Promise<WgKeyPair> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) => {
    generateKeyPair('x25519', {}, (err, pub, priv) => (err ? reject(err) : resolve({ privateKey: priv, publicKey: pub })));
  });
  const rawPrivate = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  const rawPublic = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { privateKey: rawPrivate.toString('base64'), publicKey: rawPublic.toString('base64') };
}

/** The bridge's client config with the private key filled in (a `PrivateKey` line added if absent). */
export function fillWgConfig(config: string, privateKey: string): string {
  if (/^\s*PrivateKey\s*=.*$/m.test(config)) return config.replace(/^(\s*PrivateKey\s*=).*$/m, `$1 ${privateKey}`);
  return config.replace(/^\[Interface\]\s*$/m, `[Interface]\nPrivateKey = ${privateKey}`);
}
