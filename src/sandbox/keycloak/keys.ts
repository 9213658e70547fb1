// Realm keys as Keycloak's default key providers create them: an RS256 signing key and an RSA-OAEP
// encryption key, each with a self-signed certificate (CN = realm name) published as x5c, and an
// HS512 secret that signs refresh tokens. Key material is persisted with the realm so tokens minted
// before a sandbox restart still verify afterwards.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { bitString, explicit, integer, nullDer, oid, seq, set, time, tlv } from '../kit/certs/der.js';

export interface RsaKeyRec { kid: string; alg: 'RS256' | 'RSA-OAEP'; use: 'sig' | 'enc'; privatePem: string; certB64: string }
export interface RealmKeys { sig: RsaKeyRec; enc: RsaKeyRec; hmac: { kid: string; secretB64: string } }

export function generateRealmKeys(realmName: string, nowMs: number): RealmKeys {
  return {
    sig: rsaKey(realmName, 'RS256', 'sig', nowMs),
    enc: rsaKey(realmName, 'RSA-OAEP', 'enc', nowMs),
    hmac: { kid: randomUUID(), secretB64: randomBytes(64).toString('base64') },
  };
}

function rsaKey(cn: string, alg: RsaKeyRec['alg'], use: RsaKeyRec['use'], nowMs: number): RsaKeyRec {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = selfSignedCert(cn, privateKey, publicKey, nowMs);
  // Keycloak's kid is a hash of the public key; the JWK thumbprint-style SHA-256 gives the same kind of id.
  const kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
  return { kid, alg, use, privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certB64: cert.toString('base64') };
}

const privCache = new Map<string, KeyObject>();
export function privateKeyOf(k: RsaKeyRec): KeyObject {
  let key = privCache.get(k.kid);
  if (!key) { key = createPrivateKey(k.privatePem); privCache.set(k.kid, key); }
  return key;
}
export function publicKeyOf(k: RsaKeyRec): KeyObject {
  return createPublicKey(privateKeyOf(k));
}
export function hmacKeyOf(keys: RealmKeys): Uint8Array {
  return new Uint8Array(Buffer.from(keys.hmac.secretB64, 'base64'));
}

/** The JWKS entry shape of `/protocol/openid-connect/certs`. */
export function jwkOf(k: RsaKeyRec): Record<string, unknown> {
  const jwk = publicKeyOf(k).export({ format: 'jwk' });
  const der = Buffer.from(k.certB64, 'base64');
  return {
    kid: k.kid, kty: 'RSA', alg: k.alg, use: k.use, n: jwk.n, e: jwk.e,
    x5c: [k.certB64],
    x5t: createHash('sha1').update(der).digest('base64url'),
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
}

/** Base64 SubjectPublicKeyInfo, as in `public_key` of `GET /realms/{r}`. */
export function publicKeyB64(k: RsaKeyRec): string {
  return publicKeyOf(k).export({ type: 'spki', format: 'der' }).toString('base64');
}

function selfSignedCert(cn: string, priv: KeyObject, pub: KeyObject, nowMs: number): Buffer {
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), nullDer());
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
  const tbs = seq(
    explicit(0, integer(2n)),
    integer(BigInt(`0x${randomBytes(8).toString('hex')}`)),
    sha256WithRsa,
    name,
    seq(time(new Date(nowMs - 60_000)), time(new Date(nowMs + 10 * 365 * 86_400_000))), // Keycloak: 10 years
    name,
    pub.export({ type: 'spki', format: 'der' }),
  );
  return seq(tbs, sha256WithRsa, bitString(sign('sha256', tbs, priv)));
}
