// Reading certificates/CSRs and writing certificates with the extensions step-ca puts in them.
import { createHash, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { bitString, bool, decodeInteger, decodeOid, decodeTime, derChildren, dirString, explicit, integer, nullDer, octets, oid, readDer, seq, set, time, tlv, type DerNode } from './der.js';
import { ipToBytes, ipToString } from './ip.js';

export const OID = {
  commonName: '2.5.4.3', organization: '2.5.4.10', organizationalUnit: '2.5.4.11',
  keyUsage: '2.5.29.15', extKeyUsage: '2.5.29.37', basicConstraints: '2.5.29.19',
  subjectKeyId: '2.5.29.14', authorityKeyId: '2.5.29.35', subjectAltName: '2.5.29.17',
  crlNumber: '2.5.29.20', crlReason: '2.5.29.21', extensionRequest: '1.2.840.113549.1.9.14',
  serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2',
  /** step-ca's provisioner extension: SEQUENCE { type INTEGER, name OCTET STRING, credentialID OCTET STRING }. */
  stepProvisioner: '1.3.6.1.4.1.37476.9000.64.1',
} as const;

export interface Extension { oid: string; critical: boolean; value: Buffer; raw: Buffer }

export interface Sans { dns: string[]; ips: string[]; emails: string[]; uris: string[] }

export interface ParsedCert {
  der: Buffer;
  serial: bigint;
  issuerRaw: Buffer;
  subjectRaw: Buffer;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  extensions: Extension[];
}

export interface ParsedCsr {
  subjectRaw: Buffer;
  commonName: string;
  spki: Buffer;
  sans: Sans;
  criRaw: Buffer;
  sigAlg: string;
  signature: Buffer;
}

export function pemToDer(pem: string, label: string): Buffer[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

export function derToPem(der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function parseExtensions(node: DerNode): Extension[] {
  return derChildren(node).map((ext) => {
    const parts = derChildren(ext);
    const critical = parts.length === 3 && parts[1]!.tag === 0x01 && parts[1]!.content[0] !== 0;
    return { oid: decodeOid(parts[0]!.content), critical, value: parts[parts.length - 1]!.content, raw: ext.raw };
  });
}

export function parseCertificate(der: Buffer): ParsedCert {
  const tbs = derChildren(readDer(der))[0]!;
  const f = derChildren(tbs);
  const i = f[0]!.tag === 0xa0 ? 1 : 0; // optional explicit version
  const validity = derChildren(f[i + 3]!);
  const extWrapper = f.slice(i + 6).find((n) => n.tag === 0xa3);
  return {
    der,
    serial: decodeInteger(f[i]!.content),
    issuerRaw: f[i + 2]!.raw,
    subjectRaw: f[i + 4]!.raw,
    notBefore: decodeTime(validity[0]!),
    notAfter: decodeTime(validity[1]!),
    spki: f[i + 5]!.raw,
    extensions: extWrapper ? parseExtensions(derChildren(extWrapper)[0]!) : [],
  };
}

/** Throws on malformed input (the caller maps that to step-ca's JSON decoding error). */
export function parseCsr(der: Buffer): ParsedCsr {
  const [cri, alg, sig] = derChildren(readDer(der));
  const f = derChildren(cri!);
  const subject = f[1]!;
  let extensions: Extension[] = [];
  const attrs = f[3];
  if (attrs && attrs.tag === 0xa0) {
    for (const attr of derChildren(attrs)) {
      const [type, values] = derChildren(attr);
      if (decodeOid(type!.content) === OID.extensionRequest) extensions = parseExtensions(derChildren(values!)[0]!);
    }
  }
  const sanExt = extensions.find((e) => e.oid === OID.subjectAltName);
  return {
    subjectRaw: subject.raw,
    commonName: nameAttribute(subject.raw, OID.commonName) ?? '',
    spki: f[2]!.raw,
    sans: sanExt ? decodeSans(sanExt.value) : { dns: [], ips: [], emails: [], uris: [] },
    criRaw: cri!.raw,
    sigAlg: decodeOid(derChildren(alg!)[0]!.content),
    signature: sig!.content.subarray(1),
  };
}

const SIG_HASH: Record<string, string | null> = {
  '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
  '1.3.101.112': null,
};

/** Recently decoded keys: one enrollment reads the same CSR key in the bridge and in step-ca, several times. */
const recentKeys = new Map<string, KeyObject>();
const RECENT_KEYS = 64;

/** SubjectPublicKeyInfo of an uncompressed P-256 key, up to the point (the device keys' encoding). */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/**
 * The KeyObject of a DER SubjectPublicKeyInfo. Throws when malformed. P-256 keys are imported from
 * their coordinates: OpenSSL 3's DER decoder takes about twice as long (~0.15 ms).
 */
export function publicKeyOf(spki: Buffer): KeyObject {
  const id = spki.toString('base64');
  let key = recentKeys.get(id);
  if (!key) {
    const p256 = spki.length === P256_SPKI_PREFIX.length + 65 && spki.subarray(0, P256_SPKI_PREFIX.length).equals(P256_SPKI_PREFIX) && spki[P256_SPKI_PREFIX.length] === 0x04;
    key = p256
      ? createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: spki.subarray(27, 59).toString('base64url'), y: spki.subarray(59, 91).toString('base64url') }, format: 'jwk' })
      : createPublicKey({ key: spki, format: 'der', type: 'spki' });
    if (recentKeys.size >= RECENT_KEYS) recentKeys.delete(recentKeys.keys().next().value!);
    recentKeys.set(id, key);
  }
  return key;
}

/**
 * CSRs whose signature was found valid lately: the bridge checks a device's CSR and step-ca checks
 * the same bytes a moment later, in this same process. A hit needs the same algorithm, key, signed
 * bytes and signature, so it answers exactly what a second check would.
 */
const validCsrs = new Map<string, ParsedCsr>();
const VALID_CSRS = 64;

const sameCsrSignature = (a: ParsedCsr, b: ParsedCsr): boolean =>
  a.sigAlg === b.sigAlg && a.signature.equals(b.signature) && a.spki.equals(b.spki) && a.criRaw.equals(b.criRaw);

/** Checked on libuv's threadpool: the event loop serves other requests meanwhile. */
export async function verifyCsrSignature(csr: ParsedCsr): Promise<boolean> {
  if (!(csr.sigAlg in SIG_HASH)) return false;
  const id = csr.signature.toString('base64');
  const known = validCsrs.get(id);
  if (known && sameCsrSignature(known, csr)) return true;
  let key: KeyObject;
  try {
    key = publicKeyOf(csr.spki);
  } catch {
    return false;
  }
  const valid = await new Promise<boolean>((resolve) => {
    cryptoVerify(SIG_HASH[csr.sigAlg] ?? null, csr.criRaw, key, csr.signature, (err, ok) => resolve(!err && ok));
  });
  if (valid) {
    if (validCsrs.size >= VALID_CSRS) validCsrs.delete(validCsrs.keys().next().value!);
    validCsrs.set(id, csr);
  }
  return valid;
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber', '1.2.840.113549.1.9.1': 'E', '0.9.2342.19200300.100.1.25': 'DC',
};

/** A DER Name as `O=…, CN=…`, in certificate order (how Node and @peculiar/x509 print it). */
export function formatName(nameRaw: Buffer): string {
  return derChildren(readDer(nameRaw)).map((rdn) => derChildren(rdn).map((atv) => {
    const [t, v] = derChildren(atv);
    const o = decodeOid(t!.content);
    return `${SHORT_NAMES[o] ?? o}=${v!.content.toString('utf8')}`;
  }).join('+')).join(', ');
}

/** First value of an attribute in a DER Name. */
export function nameAttribute(nameRaw: Buffer, attrOid: string): string | undefined {
  for (const rdn of derChildren(readDer(nameRaw))) {
    for (const atv of derChildren(rdn)) {
      const [t, v] = derChildren(atv);
      if (decodeOid(t!.content) === attrOid) return v!.content.toString('utf8');
    }
  }
  return undefined;
}

export function buildName(attrs: Array<[string, string]>): Buffer {
  return seq(...attrs.map(([o, v]) => set(seq(oid(o), dirString(v)))));
}

export function decodeSans(value: Buffer): Sans {
  const out: Sans = { dns: [], ips: [], emails: [], uris: [] };
  for (const gn of derChildren(readDer(value))) {
    const tagNo = gn.tag & 0x1f;
    if (tagNo === 2) out.dns.push(gn.content.toString('ascii'));
    else if (tagNo === 1) out.emails.push(gn.content.toString('ascii'));
    else if (tagNo === 6) out.uris.push(gn.content.toString('ascii'));
    else if (tagNo === 7) out.ips.push(ipToString(gn.content));
  }
  return out;
}

/** Splits token SANs the way x509util.SplitSANs does: IP, then URI (has a scheme), e-mail, DNS. */
export function splitSans(sans: string[]): Sans {
  const out: Sans = { dns: [], ips: [], emails: [], uris: [] };
  for (const s of sans) {
    const ip = ipToBytes(s);
    if (ip) out.ips.push(ipToString(ip));
    else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s)) out.uris.push(s);
    else if (s.includes('@')) out.emails.push(s);
    else out.dns.push(s);
  }
  return out;
}

// ---- extensions ----------------------------------------------------------------------------

function extension(extOid: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(extOid), bool(true), octets(value)) : seq(oid(extOid), octets(value));
}

const KEY_USAGE_BITS = {
  digitalSignature: 0, contentCommitment: 1, keyEncipherment: 2, dataEncipherment: 3,
  keyAgreement: 4, certSign: 5, crlSign: 6,
} as const;
export type KeyUsage = keyof typeof KEY_USAGE_BITS;

export function keyUsageExt(usages: KeyUsage[]): Buffer {
  let bits = 0;
  for (const u of usages) bits |= 0x80 >> KEY_USAGE_BITS[u];
  let unused = 0;
  while (unused < 7 && !(bits & (1 << unused))) unused++;
  return extension(OID.keyUsage, true, bitString(Buffer.from([bits]), unused));
}

export function extKeyUsageExt(oids: string[]): Buffer {
  return extension(OID.extKeyUsage, false, seq(...oids.map(oid)));
}

export function basicConstraintsExt(isCA: boolean, maxPathLen?: number): Buffer {
  const body = isCA ? seq(bool(true), ...(maxPathLen === undefined ? [] : [integer(BigInt(maxPathLen))])) : seq();
  return extension(OID.basicConstraints, true, body);
}

/** Key identifier as Go computes it: SHA-1 of the subjectPublicKey BIT STRING contents. */
export function keyId(spki: Buffer): Buffer {
  const bits = derChildren(readDer(spki))[1]!.content.subarray(1);
  return createHash('sha1').update(bits).digest();
}

export const subjectKeyIdExt = (spki: Buffer): Buffer => extension(OID.subjectKeyId, false, octets(keyId(spki)));
export const authorityKeyIdExt = (issuerSpki: Buffer): Buffer =>
  extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId(issuerSpki))));

export function sanExt(sans: Sans): Buffer | undefined {
  const names = [
    ...sans.dns.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
    ...sans.emails.map((e) => tlv(0x81, Buffer.from(e, 'ascii'))),
    ...sans.ips.map((ip) => tlv(0x87, ipToBytes(ip)!)),
    ...sans.uris.map((u) => tlv(0x86, Buffer.from(u, 'ascii'))),
  ];
  return names.length ? extension(OID.subjectAltName, false, seq(...names)) : undefined;
}

/** type 1 = JWK in step-ca's provisioner type enumeration. */
export function provisionerExt(name: string, kid: string): Buffer {
  return extension(OID.stepProvisioner, false,
    seq(integer(1n), octets(Buffer.from(name, 'utf8')), octets(Buffer.from(kid, 'utf8'))));
}

export function readProvisionerExt(cert: ParsedCert): { name: string; kid: string } | undefined {
  const ext = cert.extensions.find((e) => e.oid === OID.stepProvisioner);
  if (!ext) return undefined;
  const [, name, kid] = derChildren(readDer(ext.value));
  return { name: name?.content.toString('utf8') ?? '', kid: kid?.content.toString('utf8') ?? '' };
}

// ---- signing -------------------------------------------------------------------------------

export function signatureAlgorithm(key: KeyObject): { algId: Buffer; hash: string | null } {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'secp384r1') return { algId: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
    if (curve === 'secp521r1') return { algId: seq(oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
    return { algId: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
  }
  if (key.asymmetricKeyType === 'rsa') return { algId: seq(oid('1.2.840.113549.1.1.11'), nullDer()), hash: 'sha256' };
  if (key.asymmetricKeyType === 'ed25519') return { algId: seq(oid('1.3.101.112')), hash: null };
  throw new Error(`unsupported CA key type ${key.asymmetricKeyType}`);
}

export interface CertSpec {
  serial: bigint;
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  extensions: Buffer[];
  signer: KeyObject;
}

export function buildCertificate(spec: CertSpec): Buffer {
  const { algId, hash } = signatureAlgorithm(spec.signer);
  const tbs = seq(
    explicit(0, integer(2n)),
    integer(spec.serial),
    algId,
    spec.issuer,
    seq(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spec.spki,
    ...(spec.extensions.length ? [explicit(3, seq(...spec.extensions))] : []),
  );
  return seq(tbs, algId, bitString(cryptoSign(hash, tbs, spec.signer)));
}

/** Signs a DER TBS structure (used for CRLs). */
export function signTbs(tbs: Buffer, signer: KeyObject): Buffer {
  const { algId, hash } = signatureAlgorithm(signer);
  return seq(tbs, algId, bitString(cryptoSign(hash, tbs, signer)));
}
