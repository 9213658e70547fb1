// The device's WireGuard key pair, made here (Curve25519 via node:crypto x25519), and its client
// config: the bridge answers with `PrivateKey = <REPLACE_WITH_DEVICE_PRIVATE_KEY>` (reference
// §2.2), which cdm fills in with the private key that never left this machine.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface WgKeyPair { privateKey: string; publicKey: string }

/** Base64 of the raw 32-byte keys, as `wg genkey | wg pubkey` prints them. */
export async function generateWgKeyPair(): Promise<WgKeyPair> {
  // Generated and DER-encoded on the libuv threadpool; the raw key is the last 32 bytes of either
  // encoding. (Not JWK: on Node 20 a JWK export can deadlock against GC, see src/pki/p256.ts.)
  const { privateKey, publicKey } = await generateKeyPairAsync('x25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  });
  return { privateKey: privateKey.subarray(-32).toString('base64'), publicKey: publicKey.subarray(-32).toString('base64') };
}

/** The bridge's client config with the private key filled in (a `PrivateKey` line added if absent). */
export function fillWgConfig(config: string, privateKey: string): string {
  if (/^\s*PrivateKey\s*=.*$/m.test(config)) return config.replace(/^(\s*PrivateKey\s*=).*$/m, `$1 ${privateKey}`);
  return config.replace(/^\[Interface\]\s*$/m, `[Interface]\nPrivateKey = ${privateKey}`);
}
