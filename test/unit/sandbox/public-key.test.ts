import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeyOf } from '../../../src/sandbox/kit/certs/x509.js';

const spkiOf = (k: ReturnType<typeof generateKeyPairSync>['publicKey']): Buffer => k.export({ type: 'spki', format: 'der' });

describe('publicKeyOf (the emulators\' SPKI decoding)', () => {
  it('imports P-256 keys from their coordinates, identical to the DER import', () => {
    for (let i = 0; i < 5; i++) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const key = publicKeyOf(spkiOf(publicKey));
      expect(key.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
      expect(spkiOf(key).equals(spkiOf(publicKey))).toBe(true);
    }
  });

  it('other keys through the DER decoder', () => {
    for (const [type, opts] of [['ec', { namedCurve: 'P-384' }], ['ed25519', {}], ['rsa', { modulusLength: 2048 }]] as const) {
      const { publicKey } = generateKeyPairSync(type as 'ec', opts as { namedCurve: string });
      expect(spkiOf(publicKeyOf(spkiOf(publicKey))).equals(spkiOf(publicKey))).toBe(true);
    }
  });

  it('refuses a P-256 point that is not on the curve', () => {
    const spki = Buffer.from(spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey));
    spki[90] = spki[90]! ^ 0x01;
    expect(() => publicKeyOf(spki)).toThrow();
  });
});
