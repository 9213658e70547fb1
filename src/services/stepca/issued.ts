// Checking what step-ca signed before anyone relies on it: the leaf must carry our public key
// and chain, through the intermediates it came with, to the context's pinned root.
import { X509Certificate } from 'node:crypto';
import { certificateInfo, type CertificateInfo } from '../../pki/certificate.js';
import { pemBlocks } from '../../pki/pem.js';
import { verifyChain, VerificationError } from '../../pki/verify.js';
import type { SignResponse } from './types.js';

export interface CheckedCertificate {
  info: CertificateInfo;
  /** Leaf first, then the intermediates: what is written to --out. */
  chain: string[];
}

function normalise(pem: string): string {
  return pem.trim() + '\n';
}

export function checkIssued(res: SignResponse, publicKeySpki: Buffer, roots: readonly string[], now: Date): CheckedCertificate {
  const chain = (res.certChain && res.certChain.length > 0 ? res.certChain : [res.crt, ...(res.ca ? [res.ca] : [])]).map(normalise);
  const leafDer = pemBlocks(chain[0]!)[0]?.der;
  if (!leafDer) throw new VerificationError('step-ca answered without a certificate');
  const info = certificateInfo(leafDer);
  const theirs = new X509Certificate(leafDer).publicKey.export({ type: 'spki', format: 'der' });
  if (!theirs.equals(publicKeySpki)) {
    throw new VerificationError(`the certificate step-ca returned (serial ${info.serial}) does not carry our public key; it was not written`);
  }
  try {
    verifyChain(chain, roots, now);
  } catch (err) {
    if (err instanceof VerificationError) {
      throw new VerificationError(`the certificate step-ca returned (serial ${info.serial}) does not verify against the pinned root: ${err.message}; it was not written`, { hint: `revoke it if it should not exist: cdm cert revoke ${info.serial} --reason superseded` });
    }
    throw err;
  }
  return { info, chain };
}
