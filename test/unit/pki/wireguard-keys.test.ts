import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWgKeyPair, wgPublicKeyOf } from '../../../src/pki/wireguard-keys.js';

describe('WireGuard keys', () => {
  it('makes clamped 32-byte Curve25519 keys whose public half is the one OpenSSL derives', () => {
    const k = generateWgKeyPair();
    const d = Buffer.from(k.privateKey, 'base64');
    expect(d).toHaveLength(32);
    // Clamped as `wg genkey` prints it.
    expect(d[0]! & 7).toBe(0);
    expect(d[31]! & 0xc0).toBe(0x40);
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), d]);
    const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
    expect(k.publicKey).toBe(spki.subarray(-32).toString('base64'));
    expect(generateWgKeyPair().privateKey).not.toBe(k.privateKey);
  });

  it('computes the public key of RFC 7748 §6.1', () => {
    const alice = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
    expect(wgPublicKeyOf(alice).toString('hex')).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  });
});
