// A small PKI for the pki unit tests, built with @peculiar/x509 directly (not with cdm's code):
// root → intermediate → leaf, plus an expired leaf, a leaf of another root, and a CSR.
import { webcrypto } from 'node:crypto';
import { x509 } from '../../../src/pki/x509-lib.js';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

async function keys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function ca(name: string, signer: { cert: x509.X509Certificate; keys: CryptoKeyPair } | undefined, pathLength: number) {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0a' + Math.floor(Math.random() * 1e8).toString(16).padStart(8, '0'),
    subject: `CN=${name}`, issuer: signer ? signer.cert.subject : `CN=${name}`,
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: ALG, publicKey: k.publicKey, signingKey: (signer?.keys ?? k).privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, pathLength, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(k.publicKey),
    ],
  });
  return { cert, keys: k };
}

async function leaf(cn: string, signer: { cert: x509.X509Certificate; keys: CryptoKeyPair }, from: number, to: number) {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '00ff0102030405060708090a0b0c0d0e0f',
    subject: `CN=${cn}, O=CDM IoT Platform`, issuer: signer.cert.subject,
    notBefore: new Date(from), notAfter: new Date(to),
    signingAlgorithm: ALG, publicKey: k.publicKey, signingKey: signer.keys.privateKey,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: cn }, { type: 'ip', value: '10.0.0.7' }]),
    ],
  });
  return { cert, keys: k };
}

export interface TestPki {
  rootPem: string;
  intermediatePem: string;
  leafPem: string;
  leafDer: Buffer;
  leafKeys: CryptoKeyPair;
  expiredPem: string;
  foreignPem: string;
  foreignRootPem: string;
  csrPem: string;
  csrDer: Buffer;
}

export async function makePki(): Promise<TestPki> {
  const root = await ca('Test Root CA', undefined, 1);
  const inter = await ca('Test Intermediate CA', root, 0);
  const good = await leaf('dev-0001', inter, Date.now() - DAY, Date.now() + 30 * DAY);
  const expired = await leaf('dev-old', inter, Date.now() - 10 * DAY, Date.now() - DAY);
  const otherRoot = await ca('Other Root CA', undefined, 1);
  const foreign = await leaf('dev-foreign', otherRoot, Date.now() - DAY, Date.now() + DAY);
  const csrKeys = await keys();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=dev-csr', keys: csrKeys, signingAlgorithm: ALG,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'dev-csr' }, { type: 'email', value: 'ops@acme.example' }])],
  });
  return {
    rootPem: root.cert.toString('pem') + '\n',
    intermediatePem: inter.cert.toString('pem') + '\n',
    leafPem: good.cert.toString('pem') + '\n',
    leafDer: Buffer.from(good.cert.rawData),
    leafKeys: good.keys,
    expiredPem: expired.cert.toString('pem') + '\n',
    foreignPem: foreign.cert.toString('pem') + '\n',
    foreignRootPem: otherRoot.cert.toString('pem') + '\n',
    csrPem: csr.toString('pem') + '\n',
    csrDer: Buffer.from(csr.rawData),
  };
}
