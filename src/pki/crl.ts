// A CRL as step-ca (0.24+) serves it at /crl: issuer, update times and the revoked serials.
import { reasonName } from './reasons.js';
import { CRL_LABEL, isPem, pemBlocks, toPem } from './pem.js';
import { serialFromBigInt } from './serial.js';
import { bytes, x509 } from './x509-lib.js';

export interface CrlEntry {
  serial: string;
  serialHex: string;
  revokedAt: string;
  reason: string | null;
}

export interface CrlInfo {
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
  entries: CrlEntry[];
  pem: string;
}

export function parseCrl(input: Buffer): CrlInfo {
  const der = isPem(input) ? pemBlocks(input.toString('utf8')).find((b) => b.label === CRL_LABEL)?.der : input;
  if (!der) throw new Error('no X509 CRL block');
  const crl = new x509.X509Crl(bytes(der));
  return {
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate?.toISOString() ?? null,
    entries: crl.entries.map((e) => {
      const s = serialFromBigInt(BigInt(`0x${e.serialNumber || '0'}`));
      return { serial: s.decimal, serialHex: s.hex, revokedAt: e.revocationDate.toISOString(), reason: e.reason === undefined ? null : reasonName(e.reason) ?? String(e.reason) };
    }),
    pem: toPem(der, CRL_LABEL),
  };
}

/** True when the CRL's signature verifies with one of the issuer certificates (PEM). */
export async function crlSignedBy(pem: string, issuerPems: readonly string[]): Promise<string | undefined> {
  const crl = new x509.X509Crl(pem);
  for (const p of issuerPems) {
    const issuer = new x509.X509Certificate(p);
    if (await crl.verify({ publicKey: issuer.publicKey }).catch(() => false)) return issuer.subject;
  }
  return undefined;
}
