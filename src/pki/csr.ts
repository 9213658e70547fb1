// Certificate signing requests: built for a key generated here (DER written by hand, see der.ts),
// or read from the user's file (`cdm cert issue --csr`), whose self-signature and subject are
// checked before anything is sent.
import { sign } from 'node:crypto';
import type { SubjectAlternativeNameExtension } from '@peculiar/x509';
import { UsageError } from '../core/errors.js';
import { bitString, contextConstructed, isPrintableString, objectIdentifier, octetString, printableString, sequence, setOf, smallInteger, utf8String } from './der.js';
import { generalNames } from './general-names.js';
import { describePublicKey, type EcKeyPair } from './keys.js';
import { CSR_LABELS, isPem, pemBlocks, toPem } from './pem.js';
import type { San } from './sans.js';

const COMMON_NAME = objectIdentifier('2.5.4.3');
const EXTENSION_REQUEST = objectIdentifier('1.2.840.113549.1.9.14');
const SUBJECT_ALT_NAME = objectIdentifier('2.5.29.17');
const ECDSA_WITH_SHA256 = sequence(objectIdentifier('1.2.840.10045.4.3.2'));

/** A PKCS#10 request (RFC 2986): subject CN, the SANs as an extensionRequest, signed ecdsa-with-SHA256. */
export function createCsr(pair: EcKeyPair, commonName: string, sans: readonly San[]): string {
  const info = sequence(
    smallInteger(0),
    sequence(setOf(sequence(COMMON_NAME, directoryString(commonName)))),
    pair.spki,
    contextConstructed(0, ...(sans.length ? [extensionRequest(sans)] : [])),
  );
  // A DER Ecdsa-Sig-Value (node:crypto's default), the form X.509 carries. Synchronous: a P-256
  // signature takes ~0.03 ms, less than the round trip to the threadpool would.
  const signature = sign('sha256', info, pair.privateKey);
  return toPem(sequence(info, ECDSA_WITH_SHA256, bitString(signature)), 'CERTIFICATE REQUEST');
}

function extensionRequest(sans: readonly San[]): Buffer {
  const subjectAltName = sequence(SUBJECT_ALT_NAME, octetString(generalNames(sans)));
  return sequence(EXTENSION_REQUEST, setOf(sequence(subjectAltName)));
}

/** PrintableString when the name fits it, UTF8String otherwise: the choice @peculiar/x509 made, so requests keep their bytes. */
function directoryString(text: string): Buffer {
  return isPrintableString(text) ? printableString(text) : utf8String(text);
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
  // Loaded here, not at the top: making a CSR (every generated device key) never needs the library.
  const { x509, bytes } = await import('./x509-lib.js');
  const csr = new x509.Pkcs10CertificateRequest(bytes(der));
  const san = csr.extensions.find((e): e is SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
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
  // DER starts with a SEQUENCE; anything else is neither form (the parser's own message would name its input formats).
  if (der[0] !== 0x30) throw new UsageError(`${file}: not a certificate request (neither PEM nor DER)`);
  let info: CsrInfo;
  try {
    info = await parseCsrDer(der);
  } catch (err) {
    throw new UsageError(`${file}: malformed certificate request (${(err as Error).message})`);
  }
  if (!info.signatureValid) throw new UsageError(`${file}: the certificate request's signature does not verify`);
  return info;
}
