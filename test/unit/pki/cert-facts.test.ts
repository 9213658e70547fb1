import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateFacts } from '../../../src/pki/cert-facts.js';
import { tempDir } from '../../helpers/temp.js';

/** A self-signed certificate from openssl, with the given serial and lifetime. */
function opensslCert(serial: string, days: number): string {
  const dir = tempDir('cdm-certfacts-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'),
    '-subj', '/CN=dev-1', '-days', String(days), '-set_serial', serial], { stdio: 'ignore' });
  return readFileSync(join(dir, 'c.pem'), 'utf8');
}

describe('certificateFacts (serial and validity from the DER)', () => {
  it.each([
    ['a 128-bit serial, UTCTime expiry', '0x8f3a1c2b4d5e6f708192a3b4c5d6e7f8', 365],
    ['a small serial', '7', 30],
    ['a GeneralizedTime expiry (after 2049)', '0x0102', 365 * 40],
  ])('%s: the same serial, notBefore and notAfter as OpenSSL reads', (_label, serial, days) => {
    const pem = opensslCert(serial, days);
    const x = new X509Certificate(pem);
    expect(certificateFacts(pem)).toEqual({ serial: BigInt(`0x${x.serialNumber}`).toString(10), notBefore: new Date(x.validFrom), notAfter: new Date(x.validTo) });
  });

  it('refuses what is not a certificate', () => {
    expect(() => certificateFacts('no pem here')).toThrow(/no CERTIFICATE block/);
    expect(() => certificateFacts('-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----')).toThrow(/malformed certificate/);
    const der = new X509Certificate(opensslCert('5', 1)).raw;
    const truncated = `-----BEGIN CERTIFICATE-----\n${der.subarray(0, der.length - 20).toString('base64')}\n-----END CERTIFICATE-----\n`;
    expect(() => certificateFacts(truncated)).toThrow(/malformed certificate: truncated/);
  });
});
