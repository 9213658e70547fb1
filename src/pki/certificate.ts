// What `cdm cert inspect` and the other verbs report about a certificate: the fields an operator
// checks (subject, issuer, serial in both notations, validity, SANs, key, constraints, usages,
// fingerprints), as plain data with stable camelCase names.
import { describePublicKey } from './keys.js';
import { sha1Hex, sha256Hex } from './fingerprint.js';
import { CERT_LABEL, toPem } from './pem.js';
import { serialFromBigInt } from './serial.js';
import { bytes, x509 } from './x509-lib.js';

export interface SanEntry {
  type: string;
  value: string;
}

export interface CertificateInfo {
  type: 'certificate';
  subject: string;
  commonName: string | null;
  issuer: string;
  selfSigned: boolean;
  /** Decimal, as step-ca stores and `cdm cert revoke` takes it. */
  serial: string;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  sans: SanEntry[];
  keyType: string;
  isCA: boolean;
  pathLength: number | null;
  keyUsage: string[];
  extKeyUsage: string[];
  fingerprintSha256: string;
  fingerprintSha1: string;
  pem: string;
}

const KEY_USAGES: ReadonlyArray<readonly [number, string]> = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'], [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'], [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'], [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'], [x509.KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [x509.KeyUsageFlags.decipherOnly, 'decipherOnly'],
];

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth', '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection', '1.3.6.1.5.5.7.3.8': 'timeStamping', '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

export function certificateInfo(der: Uint8Array): CertificateInfo {
  const c = new x509.X509Certificate(bytes(der));
  const bc = c.getExtension(x509.BasicConstraintsExtension);
  const ku = c.getExtension(x509.KeyUsagesExtension);
  const eku = c.getExtension(x509.ExtendedKeyUsageExtension);
  const san = c.getExtension(x509.SubjectAlternativeNameExtension);
  const serial = serialFromBigInt(BigInt(`0x${c.serialNumber || '0'}`));
  return {
    type: 'certificate',
    subject: c.subject,
    commonName: c.subjectName.getField('CN')[0] ?? null,
    issuer: c.issuer,
    selfSigned: c.subject === c.issuer,
    serial: serial.decimal,
    serialHex: serial.hex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    sans: san ? san.names.items.map((n) => ({ type: n.type, value: n.value })) : [],
    keyType: describePublicKey(new Uint8Array(c.publicKey.rawData)),
    isCA: bc?.ca ?? false,
    pathLength: bc?.pathLength ?? null,
    keyUsage: ku ? KEY_USAGES.filter(([f]) => (ku.usages & f) !== 0).map(([, n]) => n) : [],
    extKeyUsage: eku ? eku.usages.map((u) => EKU_NAMES[String(u)] ?? String(u)) : [],
    fingerprintSha256: sha256Hex(der),
    fingerprintSha1: sha1Hex(der),
    pem: toPem(der, CERT_LABEL),
  };
}

export function sanText(sans: readonly SanEntry[]): string {
  return sans.map((s) => `${s.type.toUpperCase()}:${s.value}`).join(', ');
}
