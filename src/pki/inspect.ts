// `cdm cert inspect`: any certificate, chain or CSR, PEM or DER, read locally (no network).
// Private keys in the input are refused rather than echoed.
import { UsageError } from '../core/errors.js';
import { certificateInfo, type CertificateInfo, type SanEntry } from './certificate.js';
import { parseCsrDer } from './csr.js';
import { CERT_LABEL, CSR_LABELS, isPem, pemBlocks } from './pem.js';

export interface CsrInspection {
  type: 'csr';
  subject: string;
  commonName: string | null;
  sans: SanEntry[];
  keyType: string;
  signatureValid: boolean;
  pem: string;
}

export type Inspected = CertificateInfo | CsrInspection;

async function csrInspection(der: Uint8Array): Promise<CsrInspection> {
  const c = await parseCsrDer(der);
  return { type: 'csr', subject: c.subject, commonName: c.commonName ?? null, sans: c.sans, keyType: c.keyType, signatureValid: c.signatureValid, pem: c.pem };
}

export async function inspectBytes(bytes: Buffer, source: string): Promise<Inspected[]> {
  if (isPem(bytes)) {
    const blocks = pemBlocks(bytes.toString('utf8'));
    if (blocks.some((b) => /PRIVATE KEY/.test(b.label))) {
      throw new UsageError(`${source} contains a private key; cdm cert inspect reads certificates and CSRs only (nothing was printed)`);
    }
    const known = blocks.filter((b) => b.label === CERT_LABEL || CSR_LABELS.includes(b.label));
    if (known.length === 0) throw new UsageError(`${source}: no CERTIFICATE or CERTIFICATE REQUEST block found`);
    const out: Inspected[] = [];
    for (const b of known) {
      try {
        out.push(b.label === CERT_LABEL ? certificateInfo(b.der) : await csrInspection(b.der));
      } catch (err) {
        throw new UsageError(`${source}: malformed ${b.label} (${(err as Error).message})`);
      }
    }
    return out;
  }
  if (bytes.length === 0) throw new UsageError(`${source} is empty`);
  try {
    return [certificateInfo(bytes)];
  } catch {
    try {
      return [await csrInspection(bytes)];
    } catch {
      throw new UsageError(`${source}: neither a PEM file nor a DER certificate or certificate request`);
    }
  }
}
