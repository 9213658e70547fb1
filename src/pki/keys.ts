// Private keys: generated here (EC P-256, the key type of every CDM leaf) or read from the
// user's PEM file for renewal. Keys are written PKCS#8, 0600, and never leave the machine.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import { p256Encodings } from './p256.js';
import { toPem } from './pem.js';

/** What a CSR is built from: the signing key and its public half as it goes into the request. */
export interface EcKeyPair {
  privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
}

export interface GeneratedKey {
  pair: EcKeyPair;
  /** PKCS#8 PEM of the private key. */
  privatePem: string;
}

/**
 * Synchronous on purpose: a P-256 key takes ~0.1 ms here, and one device's key never holds the event
 * loop for longer than that. The threadpool form cost more than it saved: each key paid a handoff to
 * a worker and back (a context switch on a busy 2-core machine) for ~0.07 ms of work.
 */
export function generateEcKey(): GeneratedKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { spki, pkcs8 } = p256Encodings(privateKey);
  return { pair: { privateKey, spki }, privatePem: toPem(pkcs8, 'PRIVATE KEY') };
}

/** Reads a PEM private key (PKCS#8 or SEC1/PKCS#1); encrypted keys are refused with a hint. */
export function readPrivateKey(pem: string, file: string): KeyObject {
  if (/ENCRYPTED/.test(pem)) throw new UsageError(`${file}: encrypted private keys are not supported`, { hint: `decrypt it first, e.g. openssl pkey -in ${file} -out key.pem` });
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new UsageError(`${file}: not a PEM private key (${(err as Error).message})`);
  }
}

export function spkiDer(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' });
}

/** True when the certificate (DER or PEM) carries the public half of `key`. */
export function keyMatchesCertificate(key: KeyObject | Buffer, cert: Buffer | string): boolean {
  const mine = Buffer.isBuffer(key) ? key : spkiDer(key);
  const theirs = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return mine.equals(theirs);
}

/** `EC P-256`, `RSA 2048`, `Ed25519` — from an SPKI. */
export function describePublicKey(spki: Uint8Array): string {
  try {
    const k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    const d = k.asymmetricKeyDetails ?? {};
    switch (k.asymmetricKeyType) {
      case 'ec': return `EC ${CURVES[d.namedCurve ?? ''] ?? d.namedCurve ?? '?'}`;
      case 'rsa': case 'rsa-pss': return `RSA ${d.modulusLength ?? '?'}`;
      case 'ed25519': return 'Ed25519';
      case 'ed448': return 'Ed448';
      default: return k.asymmetricKeyType ?? 'unknown';
    }
  } catch {
    return 'unknown';
  }
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
