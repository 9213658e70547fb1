// CSRs made by createCsr: accepted by OpenSSL (`openssl req -verify`), read back by parseCsrDer
// (@peculiar/x509: CN, SANs, signature), and with the same to-be-signed bytes as the requests
// @peculiar/x509 made for the same key before cdm encoded them itself.
import { spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCsr, parseCsrDer } from '../../../src/pki/csr.js';
import { generateEcKey, type GeneratedKey } from '../../../src/pki/keys.js';
import { pemBlocks } from '../../../src/pki/pem.js';
import type { San } from '../../../src/pki/sans.js';
import { x509 } from '../../../src/pki/x509-lib.js';

function opensslReq(pem: string): { ok: boolean; text: string } {
  const r = spawnSync('openssl', ['req', '-verify', '-noout', '-text', '-nameopt', 'utf8'], { input: pem, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { ok: r.status === 0 && /verify OK/.test(r.stderr + r.stdout), text: r.stdout };
}

const der = (pem: string): Buffer => pemBlocks(pem)[0]!.der;

/** The first element of the outer SEQUENCE: the CertificationRequestInfo that gets signed. */
function signedPart(request: Buffer): Buffer {
  const headerOf = (b: Buffer): { header: number; length: number } => {
    const first = b[1]!;
    if (first < 0x80) return { header: 2, length: first };
    const n = first & 0x7f;
    return { header: 2 + n, length: b.subarray(2, 2 + n).reduce((acc, byte) => acc * 256 + byte, 0) };
  };
  const inner = request.subarray(headerOf(request).header);
  const { header, length } = headerOf(inner);
  return inner.subarray(0, header + length);
}

async function peculiarCsr(key: GeneratedKey, commonName: string, sans: readonly San[]): Promise<Buffer> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256' } as const;
  const pkcs8 = der(key.privatePem);
  const keys = {
    privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', key.pair.spki, alg, true, ['verify']),
  } as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }], keys, signingAlgorithm: { ...alg, hash: 'SHA-256' },
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans.map((s) => ({ type: s.type, value: s.value })))] : [],
  });
  return Buffer.from(csr.rawData);
}

describe('createCsr', () => {
  it('makes a request OpenSSL verifies, with the CN and the SAN of a device', async () => {
    const key = generateEcKey();
    const pem = createCsr(key.pair, 'dev-0042', [{ type: 'dns', value: 'dev-0042' }]);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const r = opensslReq(pem);
    expect(r.ok).toBe(true);
    expect(r.text).toMatch(/Subject: CN ?= ?dev-0042/);
    expect(r.text).toMatch(/Subject Alternative Name:\s*\n\s*DNS:dev-0042\n/);
    expect(r.text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    const info = await parseCsrDer(der(pem));
    expect(info).toMatchObject({ commonName: 'dev-0042', sans: [{ type: 'dns', value: 'dev-0042' }], keyType: 'EC P-256', signatureValid: true });
    expect(info.spki.equals(key.pair.spki)).toBe(true);
  });

  it('writes a CN outside PrintableString as UTF8String', async () => {
    const key = generateEcKey();
    const cn = 'Zürich_gw*01 — ünïcode';
    const pem = createCsr(key.pair, cn, []);
    expect(der(pem).includes(Buffer.concat([Buffer.from([0x0c, Buffer.byteLength(cn)]), Buffer.from(cn)]))).toBe(true);
    const r = opensslReq(pem);
    expect(r.ok).toBe(true);
    expect(r.text).toContain(`Subject: CN=${cn}\n`);
    expect(await parseCsrDer(der(pem))).toMatchObject({ commonName: cn, sans: [], signatureValid: true });
  });

  it('uses long-form lengths for a 128-character id', async () => {
    const key = generateEcKey();
    const id = `d${'x'.repeat(126)}9`;
    expect(id).toHaveLength(128);
    const pem = createCsr(key.pair, id, [{ type: 'dns', value: id }]);
    const request = der(pem);
    expect(request[1]).toBe(0x82); // the whole request is over 255 bytes
    expect(request.includes(Buffer.concat([Buffer.from([0x13, 0x81, 0x80]), Buffer.from(id)]))).toBe(true);
    expect(request.includes(Buffer.concat([Buffer.from([0x82, 0x81, 0x80]), Buffer.from(id)]))).toBe(true);
    expect(opensslReq(pem).ok).toBe(true);
    expect(await parseCsrDer(request)).toMatchObject({ commonName: id, sans: [{ type: 'dns', value: id }], signatureValid: true });
  });

  it('signs exactly the bytes @peculiar/x509 would have signed, for every SAN kind', async () => {
    const key = generateEcKey();
    const cases: Array<[string, San[]]> = [
      ['dev-0042', [{ type: 'dns', value: 'dev-0042' }]],
      ['acme-mqtt-bridge', []],
      ['dev_07', [{ type: 'dns', value: 'dev_07' }, { type: 'ip', value: '10.0.0.42' }, { type: 'ip', value: '2001:db8::1' }, { type: 'email', value: 'ops@acme.example' }, { type: 'url', value: 'spiffe://acme/dev-07' }]],
      [`d${'y'.repeat(127)}`, [{ type: 'dns', value: `d${'y'.repeat(127)}` }]],
    ];
    for (const [cn, sans] of cases) {
      const mine = der(createCsr(key.pair, cn, sans));
      expect(signedPart(mine).toString('hex')).toBe(signedPart(await peculiarCsr(key, cn, sans)).toString('hex'));
      expect((await parseCsrDer(mine)).sans).toEqual(sans);
    }
  });

  it('makes a new signature each time (ECDSA is randomised) that verifies every time', async () => {
    const key = generateEcKey();
    const a = createCsr(key.pair, 'dev-1', []);
    const b = createCsr(key.pair, 'dev-1', []);
    expect(a).not.toBe(b);
    for (const pem of [a, b]) expect((await parseCsrDer(der(pem))).signatureValid).toBe(true);
  });
});
