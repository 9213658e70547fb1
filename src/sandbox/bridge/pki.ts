// CSR and certificate reading for the bridge (upstream uses `cryptography`): the CSR must parse and
// its signature verify (422 "Invalid CSR: …"); certificates give the serial (decimal, as step-ca
// and `step certificate inspect` print it) and expiry the bridge records.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface CsrFacts {
  commonName: string | undefined;
  /** DNS, IP, email and URI SANs as step-ca tokens list them. */
  sans: string[];
}

export async function readCsr(pem: string): Promise<CsrFacts> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem.trim());
  } catch (err) {
    throw new Error(`Unable to load PEM file. ${(err as Error).message}`);
  }
  if (!(await csr.verify())) throw new Error('Signature of the certificate request is invalid');
  const san = csr.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  const sans = (san?.names.items ?? [])
    .filter((n) => ['dns', 'ip', 'email', 'url'].includes(n.type))
    .map((n) => n.value);
  return { commonName: csr.subjectName.getField('CN')[0], sans };
}

export interface CertFacts { serial: string; notAfter: string; subject: string }

export function readCert(pem: string): CertFacts {
  const c = new x509.X509Certificate(pem);
  return { serial: BigInt(`0x${c.serialNumber}`).toString(10), notAfter: c.notAfter.toISOString(), subject: c.subject };
}

/** Lower-case hex SHA-256 of the first certificate's DER: the `sha` claim step clients put in tokens. */
export function rootFingerprint(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error('step-ca root PEM holds no certificate');
  return createHash('sha256').update(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')).digest('hex');
}
