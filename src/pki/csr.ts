// Certificate signing requests: built for a key generated here, or read from the user's file
// (`cdm cert issue --csr`), whose self-signature and subject are checked before anything is sent.
import { UsageError } from '../core/errors.js';
import { describePublicKey, EC_P256 } from './keys.js';
import { CSR_LABELS, isPem, pemBlocks } from './pem.js';
import type { San } from './sans.js';
import { bytes, x509 } from './x509-lib.js';

export async function createCsr(pair: CryptoKeyPair, commonName: string, sans: readonly San[]): Promise<string> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    // JSON name form: no escaping pitfalls with commas or equals signs in the CN.
    name: [{ CN: [commonName] }],
    keys: pair,
    signingAlgorithm: EC_P256,
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans.map((s) => ({ type: s.type, value: s.value })))] : [],
  });
  return csr.toString('pem');
}

export interface CsrInfo {
  subject: string;
  commonName: string | undefined;
  sans: San[];
  keyType: string;
  signatureValid: boolean;
  pem: string;
  /** DER SubjectPublicKeyInfo: compared with the issued certificate's key. */
  spki: Buffer;
}

export async function parseCsrDer(der: Uint8Array): Promise<CsrInfo> {
  const csr = new x509.Pkcs10CertificateRequest(bytes(der));
  const san = csr.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  return {
    subject: csr.subject,
    commonName: csr.subjectName.getField('CN')[0],
    sans: san ? san.names.items.filter((n) => ['dns', 'ip', 'email', 'url'].includes(n.type)).map((n) => ({ type: n.type as San['type'], value: n.value })) : [],
    keyType: describePublicKey(new Uint8Array(csr.publicKey.rawData)),
    signatureValid: await csr.verify(),
    pem: csr.toString('pem'),
    spki: Buffer.from(csr.publicKey.rawData),
  };
}

/** A CSR file (PEM or DER) given by the user: malformed or badly signed is bad input (exit 2). */
export async function readCsrFile(bytes: Buffer, file: string): Promise<CsrInfo> {
  let der: Uint8Array | undefined;
  if (isPem(bytes)) der = pemBlocks(bytes.toString('utf8')).find((b) => CSR_LABELS.includes(b.label))?.der;
  else der = bytes;
  if (!der || der.length === 0) throw new UsageError(`${file}: no CERTIFICATE REQUEST found`);
  let info: CsrInfo;
  try {
    info = await parseCsrDer(der);
  } catch (err) {
    throw new UsageError(`${file}: malformed certificate request (${(err as Error).message})`);
  }
  if (!info.signatureValid) throw new UsageError(`${file}: the certificate request's signature does not verify`);
  return info;
}
