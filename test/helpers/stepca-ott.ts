// One-time tokens for step-ca JWK provisioners, built with Node's crypto only (ES256 with
// ieee-p1363 signatures), independent of the CLI's own token code.
import { createPrivateKey, randomBytes, sign } from 'node:crypto';

export interface PrivateJwk { kty: string; crv: string; x: string; y: string; d: string; kid: string }

export interface OttInput {
  jwk: PrivateJwk;
  issuer: string;
  audience: string | string[];
  subject: string;
  sans?: string[];
  sha?: string;
  /** Seconds of validity from now (negative = already expired). */
  ttl?: number;
  /** Claims to add or override (undefined removes one). */
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

const b64u = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

export function makeOtt(o: OttInput): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'ES256', kid: o.jwk.kid, typ: 'JWT', ...o.header };
  const claims: Record<string, unknown> = {
    iss: o.issuer, aud: o.audience, sub: o.subject, iat: now, nbf: now, exp: now + (o.ttl ?? 300),
    jti: randomBytes(32).toString('hex'),
    ...(o.sans ? { sans: o.sans } : {}), ...(o.sha ? { sha: o.sha } : {}), ...o.claims,
  };
  for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  const key = createPrivateKey({ key: { ...o.jwk }, format: 'jwk' });
  return `${input}.${b64u(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))}`;
}
