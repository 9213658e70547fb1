// inspect (PEM, DER, chain, CSR, refusals) and chain verification (good, expired, foreign, broken).
import { describe, expect, it, beforeAll } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { inspectBytes } from '../../../src/pki/inspect.js';
import { verifyChain, VerificationError } from '../../../src/pki/verify.js';
import { makePki, type TestPki } from './fixtures.js';

let pki: TestPki;
beforeAll(async () => { pki = await makePki(); });

describe('inspect', () => {
  it('a PEM certificate: subject, issuer, serial in both notations, validity, SANs, key, usages, fingerprints', async () => {
    const [c] = await inspectBytes(Buffer.from(pki.leafPem), 'leaf.pem');
    expect(c).toMatchObject({
      type: 'certificate', commonName: 'dev-0001', subject: 'CN=dev-0001, O=CDM IoT Platform', issuer: 'CN=Test Intermediate CA',
      serialHex: 'ff0102030405060708090a0b0c0d0e0f', serial: BigInt('0xff0102030405060708090a0b0c0d0e0f').toString(10),
      keyType: 'EC P-256', isCA: false, pathLength: null, keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth'], selfSigned: false,
    });
    if (c!.type !== 'certificate') throw new Error('not a certificate');
    expect(c!.sans).toEqual([{ type: 'dns', value: 'dev-0001' }, { type: 'ip', value: '10.0.0.7' }]);
    expect(c!.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c!.pem).toBe(pki.leafPem);
  });

  it('DER gives the same answer as PEM', async () => {
    expect(await inspectBytes(pki.leafDer, 'leaf.der')).toEqual(await inspectBytes(Buffer.from(pki.leafPem), 'leaf.pem'));
  });

  it('a chain: every certificate in order, CA flags and path lengths', async () => {
    const all = await inspectBytes(Buffer.from(pki.leafPem + pki.intermediatePem + pki.rootPem), 'chain.pem');
    expect(all.map((c) => c.subject)).toEqual(['CN=dev-0001, O=CDM IoT Platform', 'CN=Test Intermediate CA', 'CN=Test Root CA']);
    expect(all.map((c) => (c.type === 'certificate' ? [c.isCA, c.pathLength, c.selfSigned] : null))).toEqual([[false, null, false], [true, 0, false], [true, 1, true]]);
    expect(all[2]!.type === 'certificate' && all[2]!.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  });

  it('CSRs, PEM and DER', async () => {
    const [pem] = await inspectBytes(Buffer.from(pki.csrPem), 'x.csr');
    expect(pem).toMatchObject({ type: 'csr', commonName: 'dev-csr', signatureValid: true, keyType: 'EC P-256' });
    expect(pem!.sans).toEqual([{ type: 'dns', value: 'dev-csr' }, { type: 'email', value: 'ops@acme.example' }]);
    expect((await inspectBytes(pki.csrDer, 'x.der'))[0]).toMatchObject({ type: 'csr', commonName: 'dev-csr' });
  });

  it('refuses private keys (without echoing them), empty input and garbage', async () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----\n';
    await expect(inspectBytes(Buffer.from(pki.leafPem + key), 'mixed.pem')).rejects.toThrow(/contains a private key/);
    await expect(inspectBytes(Buffer.alloc(0), 'empty')).rejects.toThrow(UsageError);
    await expect(inspectBytes(Buffer.from('hello world'), 'junk')).rejects.toThrow(/neither a PEM file nor a DER/);
    await expect(inspectBytes(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), 'bad.pem')).rejects.toThrow(/malformed CERTIFICATE/);
  });
});

describe('verifyChain', () => {
  it('leaf + intermediate → root', () => {
    const r = verifyChain([pki.leafPem, pki.intermediatePem], [pki.rootPem], new Date());
    expect(r.chain.map((l) => l.subject)).toEqual(['CN=dev-0001, O=CDM IoT Platform', 'CN=Test Intermediate CA']);
    expect(r.root.subject).toBe('CN=Test Root CA');
    expect(r.expiresInSeconds).toBeGreaterThan(29 * 86_400);
  });

  it('a root verifies as itself', () => {
    expect(verifyChain([pki.rootPem], [pki.rootPem], new Date()).root.subject).toBe('CN=Test Root CA');
  });

  it('fails with the reason: missing intermediate, foreign root, expiry, not yet valid', () => {
    expect(() => verifyChain([pki.leafPem], [pki.rootPem], new Date())).toThrow(/does not chain to a trusted root/);
    expect(() => verifyChain([pki.foreignPem], [pki.rootPem], new Date())).toThrow(VerificationError);
    expect(() => verifyChain([pki.expiredPem, pki.intermediatePem], [pki.rootPem], new Date())).toThrow(/expired at/);
    expect(() => verifyChain([pki.leafPem, pki.intermediatePem], [pki.rootPem], new Date(Date.now() - 5 * 86_400_000))).toThrow(/not valid before/);
  });

  it('an intermediate in the file is never a trust anchor', () => {
    expect(() => verifyChain([pki.leafPem, pki.intermediatePem], [pki.foreignRootPem], new Date())).toThrow(/does not chain/);
  });

  it('a leaf cannot act as an issuer', () => {
    expect(() => verifyChain([pki.foreignPem, pki.leafPem], [pki.rootPem], new Date())).toThrow(VerificationError);
  });
});
