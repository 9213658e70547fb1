// CSR and certificate reading for the bridge (upstream uses `cryptography`): the CSR must parse and
// its signature verify (422 "Invalid CSR: …"); certificates give the serial (decimal, as step-ca
// and `step certificate inspect` print it) and expiry the bridge records. The sandbox's own DER
// reader does it: a general ASN.1 library cost ~2.5 ms per enrollment, OpenSSL's parser ~0.4 ms.
import { createHash } from 'node:crypto';
import { formatName, parseCertificate, parseCsr, pemToDer, verifyCsrSignature } from '../kit/certs/x509.js';

export interface CsrFacts {
  commonName: string | undefined;
  /** DNS, IP, email and URI SANs as step-ca tokens list them. */
  sans: string[];
}

export async function readCsr(pem: string): Promise<CsrFacts> {
  const der = pemToDer(pem, 'CERTIFICATE REQUEST')[0] ?? pemToDer(pem, 'NEW CERTIFICATE REQUEST')[0];
  if (!der || der.length === 0) throw new Error('Unable to load PEM file. No CERTIFICATE REQUEST block found');
  let csr: ReturnType<typeof parseCsr>;
  try {
    csr = parseCsr(der);
  } catch (err) {
    throw new Error(`Unable to load PEM file. ${(err as Error).message}`);
  }
  if (!(await verifyCsrSignature(csr))) throw new Error('Signature of the certificate request is invalid');
  const { dns, ips, emails, uris } = csr.sans;
  return { commonName: csr.commonName === '' ? undefined : csr.commonName, sans: [...dns, ...ips, ...emails, ...uris] };
}

export interface CertFacts { serial: string; notAfter: string; subject: string }

export function readCert(pem: string): CertFacts {
  const der = pemToDer(pem, 'CERTIFICATE')[0];
  if (!der) throw new Error('no CERTIFICATE block');
  const c = parseCertificate(der);
  return { serial: c.serial.toString(10), notAfter: c.notAfter.toISOString(), subject: formatName(c.subjectRaw) };
}

/** Lower-case hex SHA-256 of the first certificate's DER: the `sha` claim step clients put in tokens. */
export function rootFingerprint(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error('step-ca root PEM holds no certificate');
  return createHash('sha256').update(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')).digest('hex');
}
