// The emulators' CSR signature check, which remembers CSRs it found valid (the bridge and step-ca
// check the same CSR in one enrollment): a remembered signature vouches only for the same bytes.
import { describe, expect, it } from 'vitest';
import { parseCsr, pemToDer, verifyCsrSignature, type ParsedCsr } from '../../../src/sandbox/kit/certs/x509.js';
import { makeCsr } from '../../helpers/stepca-pki.js';

async function parsed(cn: string): Promise<ParsedCsr> {
  return parseCsr(pemToDer((await makeCsr(cn)).csr, 'CERTIFICATE REQUEST')[0]!);
}

describe('verifyCsrSignature', () => {
  it('accepts a valid CSR again, and refuses its signature over other bytes or another key', async () => {
    const csr = await parsed('dev-1');
    expect(await verifyCsrSignature(csr)).toBe(true);
    expect(await verifyCsrSignature({ ...csr })).toBe(true);

    const cri = Buffer.from(csr.criRaw);
    cri[cri.length - 1]! ^= 0x01;
    expect(await verifyCsrSignature({ ...csr, criRaw: cri })).toBe(false);

    const other = await parsed('dev-2');
    expect(await verifyCsrSignature({ ...csr, spki: other.spki })).toBe(false);
    expect(await verifyCsrSignature({ ...csr, sigAlg: '1.2.840.10045.4.3.3' })).toBe(false);
  });

  it('refuses a tampered CSR that was never valid', async () => {
    const csr = await parsed('dev-3');
    const sig = Buffer.from(csr.signature);
    sig[sig.length - 1]! ^= 0x01;
    expect(await verifyCsrSignature({ ...csr, signature: sig })).toBe(false);
  });
});
