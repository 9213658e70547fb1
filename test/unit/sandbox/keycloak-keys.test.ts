// The Keycloak emulator's realm certificates (x5c) are written with the sandbox's DER writer. It
// once had its own, which wrote a random serial starting with 0x00 as is: a non-minimal INTEGER
// that OpenSSL refused (about one key in 256, seen as a flaky JWKS test).
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { integer } from '../../../src/sandbox/kit/certs/der.js';
import { generateRealmKeys } from '../../../src/sandbox/keycloak/keys.js';

describe('keycloak realm keys', () => {
  it('the DER writer gives the one minimal INTEGER encoding', () => {
    expect(integer(5n).toString('hex')).toBe('020105');
    expect(integer(BigInt('0x001f22')).toString('hex')).toBe('02021f22');
    expect(integer(0x80n).toString('hex')).toBe('02020080');
    expect(integer(0x8001n).toString('hex')).toBe('0203008001');
    expect(integer(0n).toString('hex')).toBe('020100');
  });

  it('publishes self-signed certificates OpenSSL reads', () => {
    const keys = generateRealmKeys('cdm', Date.now());
    for (const k of [keys.sig, keys.enc]) {
      const cert = new X509Certificate(Buffer.from(k.certB64, 'base64'));
      expect(cert.subject).toBe('CN=cdm');
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(Date.parse(cert.validTo) - Date.now()).toBeGreaterThan(9 * 365 * 86_400_000);
    }
  });
});
