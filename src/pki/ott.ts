// One-time tokens for step-ca JWK provisioners (keycloak-stepca.md §2.3): a JWS signed with the
// provisioner's private key, header {alg, kid, typ: JWT}; claims iss = provisioner name,
// sub = CN (sign) or decimal serial (revoke), aud = <ca>/1.0/sign or /1.0/revoke as a single
// string, sans (sign), sha = root fingerprint, a random 64-hex jti (single use on the CA),
// iat = nbf = now, exp = now + 5 min (the step client's default; the CA allows 1 min leeway).
import { randomBytes } from 'node:crypto';
import { SignJWT, importJWK, type JWK } from 'jose';

export const OTT_TTL_SECONDS = 300;

export type OttPurpose = 'sign' | 'revoke';

export interface OttInput {
  /** The decrypted private JWK of the provisioner (with its kid). */
  key: JWK;
  provisioner: string;
  /** The CA base URL as the context has it (https://ca.example.com:9000). */
  caUrl: string;
  purpose: OttPurpose;
  subject: string;
  sans?: readonly string[];
  /** Root fingerprint (hex): lets a token holder bootstrap trust, as step's tokens do. */
  sha?: string;
  /** Epoch ms. */
  now: number;
  ttlSeconds?: number;
}

export function ottAudience(caUrl: string, purpose: OttPurpose): string {
  return `${caUrl.replace(/\/+$/, '')}/1.0/${purpose}`;
}

function algorithmOf(key: JWK): string {
  if (key.alg) return key.alg;
  if (key.kty === 'EC') return key.crv === 'P-384' ? 'ES384' : key.crv === 'P-521' ? 'ES512' : 'ES256';
  if (key.kty === 'OKP') return 'EdDSA';
  return 'RS256';
}

export async function mintOtt(i: OttInput): Promise<string> {
  if (!i.key.kid) throw new Error('provisioner key has no kid');
  const alg = algorithmOf(i.key);
  const iat = Math.floor(i.now / 1000);
  const claims: Record<string, unknown> = {};
  if (i.sans && i.sans.length > 0) claims.sans = [...i.sans];
  if (i.sha) claims.sha = i.sha;
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: i.key.kid, typ: 'JWT' })
    .setIssuer(i.provisioner)
    .setSubject(i.subject)
    .setAudience(ottAudience(i.caUrl, i.purpose))
    .setJti(randomBytes(32).toString('hex'))
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + (i.ttlSeconds ?? OTT_TTL_SECONDS))
    .sign(await importJWK(i.key, alg));
}
