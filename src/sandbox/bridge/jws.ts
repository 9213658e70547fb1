// Compact JWS signing with Node's crypto for the one-time tokens the bridge sends step-ca: one per
// enrollment, where WebCrypto's async jobs cost several times a synchronous sign.
import { sign, constants, type KeyObject } from 'node:crypto';

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Algorithms a step JWK provisioner key can have (EC, OKP, RSA). */
export function signCompactJws(header: Record<string, unknown> & { alg: string }, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const data = Buffer.from(input);
  const alg = header.alg;
  let sig: Buffer;
  if (/^ES(256|384|512)$/.test(alg)) sig = sign(`sha${alg.slice(2)}`, data, { key, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'EdDSA') sig = sign(null, data, key);
  else if (/^RS(256|384|512)$/.test(alg)) sig = sign(`sha${alg.slice(2)}`, data, key);
  else if (/^PS(256|384|512)$/.test(alg)) {
    sig = sign(`sha${alg.slice(2)}`, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 });
  } else throw new Error(`unsupported JWS algorithm ${alg}`);
  return `${input}.${sig.toString('base64url')}`;
}
