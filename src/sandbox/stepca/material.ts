// The CA's key material, kept in a real step-ca's file layout: certs/root_ca.crt,
// certs/intermediate_ca.crt (the issuing CA, optionally followed by its own chain),
// secrets/intermediate_ca_key. A tenant CA starts self-signed; when a Sub-CA issued by the
// provider is installed into the same files, reload() picks it up.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../kit/atomic-file.js';
import { authorityKeyIdExt, basicConstraintsExt, buildCertificate, buildName, derToPem, extKeyUsageExt, keyUsageExt, OID, parseCertificate, pemToDer, sanExt, splitSans, subjectKeyIdExt, type ParsedCert } from '../kit/certs/x509.js';

export interface CaCert { pem: string; parsed: ParsedCert }

export interface CaMaterial {
  roots: CaCert[];
  /** Issuing CA first, then any further intermediates from intermediate_ca.crt. */
  chain: CaCert[];
  signer: KeyObject;
}

export const caPaths = (dir: string) => ({
  root: join(dir, 'certs', 'root_ca.crt'),
  crt: join(dir, 'certs', 'intermediate_ca.crt'),
  key: join(dir, 'secrets', 'intermediate_ca_key'),
  rootKey: join(dir, 'secrets', 'root_ca_key'),
});

const YEAR = 365 * 24 * 3_600_000;

export const randomSerial = (): bigint => BigInt('0x' + randomBytes(16).toString('hex'));

const toCaCert = (der: Buffer): CaCert => ({ pem: derToPem(der), parsed: parseCertificate(der) });

/**
 * Root + intermediate as `step ca init` makes them (EC P-256, 10 years). The provider's
 * intermediate gets path length 1 instead of step's 0 because it signs tenant Sub-CAs.
 */
export function generateMaterial(pkiName: string, intermediatePathLen: number, now: number): CaMaterial & { rootKey: KeyObject } {
  const rootKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const interKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rootSpki = rootKeys.publicKey.export({ type: 'spki', format: 'der' });
  const interSpki = interKeys.publicKey.export({ type: 'spki', format: 'der' });
  const rootName = buildName([[OID.organization, pkiName], [OID.commonName, `${pkiName} Root CA`]]);
  const interName = buildName([[OID.organization, pkiName], [OID.commonName, `${pkiName} Intermediate CA`]]);
  const notBefore = new Date(Math.floor(now / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + 10 * YEAR);
  const root = buildCertificate({
    serial: randomSerial(), issuer: rootName, subject: rootName, notBefore, notAfter, spki: rootSpki,
    extensions: [keyUsageExt(['certSign', 'crlSign']), basicConstraintsExt(true, intermediatePathLen + 1), subjectKeyIdExt(rootSpki)],
    signer: rootKeys.privateKey,
  });
  const inter = buildCertificate({
    serial: randomSerial(), issuer: rootName, subject: interName, notBefore, notAfter, spki: interSpki,
    extensions: [keyUsageExt(['certSign', 'crlSign']), basicConstraintsExt(true, intermediatePathLen),
      subjectKeyIdExt(interSpki), authorityKeyIdExt(rootSpki)],
    signer: rootKeys.privateKey,
  });
  return { roots: [toCaCert(root)], chain: [toCaCert(inter)], signer: interKeys.privateKey, rootKey: rootKeys.privateKey };
}

/** Writes the material like step does; private keys are PKCS#8, encrypted with the password. */
export function writeMaterial(dir: string, m: CaMaterial & { rootKey: KeyObject }, password: string): void {
  const p = caPaths(dir);
  const enc = (k: KeyObject): string =>
    k.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }) as string;
  writeFileAtomic(p.root, m.roots.map((c) => c.pem).join(''), 0o644);
  writeFileAtomic(p.crt, m.chain.map((c) => c.pem).join(''), 0o644);
  writeFileAtomic(p.key, enc(m.signer));
  writeFileAtomic(p.rootKey, enc(m.rootKey));
}

export const hasMaterial = (dir: string): boolean => existsSync(caPaths(dir).crt);

/** Reads the files back; the key may be encrypted (as step writes it) or plain (as a Sub-CA join installs it). */
export function loadMaterial(dir: string, password: string): CaMaterial {
  const p = caPaths(dir);
  const roots = pemToDer(readFileSync(p.root, 'utf8'), 'CERTIFICATE').map(toCaCert);
  const chain = pemToDer(readFileSync(p.crt, 'utf8'), 'CERTIFICATE').map(toCaCert);
  if (!roots.length || !chain.length) throw new Error(`step-ca emulator: no certificate in ${p.root} or ${p.crt}`);
  const signer = createPrivateKey({ key: readFileSync(p.key, 'utf8'), passphrase: password });
  const pubFromKey = createPublicKey(signer).export({ type: 'spki', format: 'der' });
  if (!pubFromKey.equals(chain[0]!.parsed.spki)) {
    throw new Error(`step-ca emulator: ${p.key} does not match the certificate in ${p.crt}`);
  }
  return { roots, chain, signer };
}

export function fingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * The HTTPS listener's certificate, issued by the CA itself as step-ca does for its own
 * address and dnsNames (clients pin the root). Valid 30 days, not step's 24 h, because the
 * sandbox host reads it once at start and does not renew it in-process.
 */
export function serverTls(m: CaMaterial, dnsNames: string[], now: number): { key: string; cert: string } {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
  const issuer = m.chain[0]!.parsed;
  const notBefore = new Date(now - 60_000);
  const der = buildCertificate({
    serial: randomSerial(), issuer: issuer.subjectRaw, subject: buildName([[OID.commonName, 'Step Online CA']]),
    notBefore, notAfter: new Date(now + 30 * 24 * 3_600_000), spki,
    extensions: [keyUsageExt(['digitalSignature']), extKeyUsageExt([OID.serverAuth, OID.clientAuth]),
      subjectKeyIdExt(spki), authorityKeyIdExt(issuer.spki), sanExt(splitSans(dnsNames))!],
    signer: m.signer,
  });
  return {
    key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: derToPem(der) + m.chain.map((c) => c.pem).join(''),
  };
}

/** Checks a DER certificate was signed by one of our CA certificates (client-certificate verification). */
export function issuedByUs(m: CaMaterial, der: Buffer): boolean {
  let leaf: X509Certificate;
  try { leaf = new X509Certificate(der); } catch { return false; }
  return m.chain.some((c) => {
    try { return leaf.verify(createPublicKey({ key: c.parsed.spki, format: 'der', type: 'spki' })); } catch { return false; }
  });
}
