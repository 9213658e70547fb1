// `cdm cert verify`: the chain against the roots (services/stepca/verify.ts), then cdm's records.
// step-ca revocation is passive, so a revoked certificate still chains; what cdm revoked from this
// machine is in its records for the context, and such a certificate does not verify.
import type { Factory } from '../../core/factory.js';
import { VerificationError, type VerifyResult } from '../../pki/verify.js';
import { verifyCertificateFile } from '../../services/stepca/verify.js';
import { recordedCertificate } from './list.js';

export async function verifyCertificate(f: Factory, file: string, rootsFile: string | undefined): Promise<VerifyResult> {
  const r = await verifyCertificateFile(f, file, rootsFile);
  const leaf = r.chain[0];
  if (!leaf || (await f.contextName()) === undefined) return r;
  const known = await recordedCertificate(f, leaf.serial);
  if (known?.revoked) {
    throw new VerificationError(`"${r.subject}" chains to ${r.root.subject}, but cdm revoked serial ${leaf.serial} at ${known.revoked.at} (${known.revoked.reason})`, {
      hint: 'step-ca revocation is passive: the chain still verifies, and relying parties only learn of the revocation through a CRL (`cdm cert crl`)',
    });
  }
  return r;
}
