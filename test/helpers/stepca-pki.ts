// CSRs and certificate inspection for the step-ca tests, with @peculiar/x509 (not the emulator's code).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface CsrOut { csr: string; keyPem: string }

export async function makeCsr(cn: string | undefined, sans: Array<{ type: 'dns' | 'ip' | 'url' | 'email'; value: string }> = []): Promise<CsrOut> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    ...(cn ? { name: `CN=${cn}` } : {}),
    keys, signingAlgorithm: ALG,
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans.map((s) => ({ type: s.type, value: s.value })))] : [],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  return { csr: csr.toString('pem'), keyPem };
}

export interface CertFacts {
  serialDecimal: string;
  subject: string;
  commonName: string | undefined;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  keyUsage: string[];
  extKeyUsage: string[];
  isCA: boolean | undefined;
  pathLength: number | undefined;
  sans: Array<{ type: string; value: string }>;
  hasStepProvisionerExt: boolean;
}

const KU: Array<[number, string]> = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'], [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'], [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
];

export function inspectCert(pem: string): CertFacts {
  const c = new x509.X509Certificate(pem);
  const ku = c.getExtension(x509.KeyUsagesExtension);
  const eku = c.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = c.getExtension(x509.BasicConstraintsExtension);
  const san = c.getExtension(x509.SubjectAlternativeNameExtension);
  return {
    serialDecimal: BigInt('0x' + c.serialNumber).toString(10),
    subject: c.subject,
    commonName: c.subjectName.getField('CN')[0],
    issuer: c.issuer,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    keyUsage: ku ? KU.filter(([f]) => (ku.usages & f) !== 0).map(([, n]) => n) : [],
    extKeyUsage: eku ? eku.usages.map(String) : [],
    isCA: bc?.ca,
    pathLength: bc?.pathLength,
    sans: san ? san.names.items.map((n) => ({ type: n.type, value: n.value })) : [],
    hasStepProvisionerExt: c.extensions.some((e) => e.type === '1.3.6.1.4.1.37476.9000.64.1'),
  };
}

/** True when `pem` was signed by the key of `issuerPem`. */
export async function signedBy(pem: string, issuerPem: string): Promise<boolean> {
  const issuer = new x509.X509Certificate(issuerPem);
  return new x509.X509Certificate(pem).verify({ publicKey: issuer.publicKey, signatureOnly: true });
}
