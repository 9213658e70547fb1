// The SPKI and PKCS#8 encodings of a fresh P-256 key, built from its SEC1 export. OpenSSL 3's
// encoders cost ~0.07 ms (PKCS#8) and ~0.12 ms (SPKI) per call, the SEC1 export ~0.01 ms; a bulk
// enrollment pays this once per device. JWK export would be cheaper still, but on Node 20 it can
// deadlock: it holds the key's lock while allocating, and a GC finalising the key-generation job
// that made the key takes the same lock (seen with generateKeyPairSync + export({format:'jwk'})).
import type { KeyObject } from 'node:crypto';

/** ECPrivateKey as OpenSSL writes it for P-256: version 1, d (32 bytes), [0] curve, [1] point. */
const SEC1_HEAD = Buffer.from('30770201010420', 'hex');
const SEC1_MIDDLE = Buffer.from('a00a06082a8648ce3d030107a144034200', 'hex');
const SEC1_LENGTH = SEC1_HEAD.length + 32 + SEC1_MIDDLE.length + 65;

// Every P-256 key has the same DER around its bytes, so both encodings are fixed templates:
// SubjectPublicKeyInfo { id-ecPublicKey, prime256v1 } BIT STRING point, and PrivateKeyInfo
// { 0, id-ecPublicKey, prime256v1 } OCTET STRING ECPrivateKey { 1, d, [1] point } (PKCS#8 names
// the curve in its algorithm, so the inner ECPrivateKey leaves out [0], as OpenSSL does).
const SPKI_HEAD = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
const PKCS8_HEAD = Buffer.from('308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420', 'hex');
const PKCS8_MIDDLE = Buffer.from('a144034200', 'hex');

export interface P256Encodings {
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
  /** DER PKCS#8 PrivateKeyInfo, byte for byte what OpenSSL exports. */
  pkcs8: Buffer;
}

export function p256Encodings(privateKey: KeyObject): P256Encodings {
  const sec1 = privateKey.export({ type: 'sec1', format: 'der' });
  const middle = SEC1_HEAD.length + 32;
  if (sec1.length !== SEC1_LENGTH || !sec1.subarray(0, SEC1_HEAD.length).equals(SEC1_HEAD) || !sec1.subarray(middle, middle + SEC1_MIDDLE.length).equals(SEC1_MIDDLE)) {
    throw new Error('not an uncompressed P-256 key in the SEC1 layout OpenSSL writes');
  }
  const d = sec1.subarray(SEC1_HEAD.length, middle);
  const point = sec1.subarray(middle + SEC1_MIDDLE.length);
  return {
    spki: Buffer.concat([SPKI_HEAD, point]),
    pkcs8: Buffer.concat([PKCS8_HEAD, d, PKCS8_MIDDLE, point]),
  };
}
