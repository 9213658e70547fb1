// WireGuard key pairs made on this machine (a device's at enrollment, a tenant's at join): base64
// of the raw 32-byte Curve25519 keys, as `wg genkey | wg pubkey` print them. The private key never
// leaves this machine.
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes, type KeyObject } from 'node:crypto';
import { UsageError } from '../core/errors.js';

export interface WgKeyPair { privateKey: string; publicKey: string }

/** u = 9, the Curve25519 base point: X25519(k, 9) is the public key of k (RFC 7748 §6.1). */
let basePoint: KeyObject | undefined;

/**
 * Base64 of the raw 32-byte keys, as `wg genkey | wg pubkey` prints them: 32 random bytes clamped
 * as `wg genkey` does, and their public key computed as X25519 with the base point. This costs
 * ~0.1 ms; OpenSSL 3's PKCS#8/SPKI encoders and decoders cost 0.15-0.45 ms per key, and a JWK
 * export can deadlock on Node 20 (see src/pki/p256.ts).
 */
export function generateWgKeyPair(): WgKeyPair {
  const d = randomBytes(32);
  d[0]! &= 248;
  d[31] = (d[31]! & 127) | 64;
  return { privateKey: d.toString('base64'), publicKey: wgPublicKeyOf(d).toString('base64') };
}

/** The raw X25519 public key of a raw 32-byte private key. */
export function wgPublicKeyOf(d: Buffer): Buffer {
  basePoint ??= createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.concat([Buffer.from([9]), Buffer.alloc(31)]).toString('base64url') }, format: 'jwk' });
  // Node reads a private OKP JWK from d alone; x must be a string, and it is what we are computing.
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: d.toString('base64url'), x: '' }, format: 'jwk' });
  return diffieHellman({ privateKey, publicKey: basePoint });
}

/**
 * A WireGuard public key as `wg pubkey` prints it: base64 of 32 bytes (44 characters). The bridge
 * writes what it is given into the server's wg0.conf, so anything else would break that peer.
 */
export function checkWgPublicKey(value: string, what: string): void {
  if (!/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(value)) {
    throw new UsageError(`${what}: "${value}" is not a WireGuard public key (base64 of 32 bytes, 44 characters, as \`wg pubkey\` prints it)`);
  }
}
