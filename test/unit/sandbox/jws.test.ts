import { generateKeyPairSync } from 'node:crypto';
import { compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signCompactJws } from '../../../src/sandbox/bridge/jws.js';

describe('bridge one-time-token signing (node:crypto JWS)', () => {
  const cases: Array<[string, ReturnType<typeof generateKeyPairSync>]> = [
    ['ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['ES384', generateKeyPairSync('ec', { namedCurve: 'P-384' })],
    ['EdDSA', generateKeyPairSync('ed25519')],
    ['RS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['PS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ];
  for (const [alg, pair] of cases) {
    it(`${alg}: verifies with jose, header and claims intact`, async () => {
      const token = signCompactJws({ alg, kid: 'k1', typ: 'JWT' }, { sub: 'dev-1', sans: ['dev-1'] }, pair.privateKey);
      const { payload, protectedHeader } = await compactVerify(token, pair.publicKey);
      expect(protectedHeader).toEqual({ alg, kid: 'k1', typ: 'JWT' });
      expect(JSON.parse(Buffer.from(payload).toString())).toEqual({ sub: 'dev-1', sans: ['dev-1'] });
    });
  }
  it('refuses an algorithm a provisioner key cannot have', () => {
    expect(() => signCompactJws({ alg: 'HS256' }, {}, cases[0]![1].privateKey)).toThrow(/unsupported JWS algorithm HS256/);
  });
});
