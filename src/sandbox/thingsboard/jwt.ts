// ThingsBoard's own JWTs (JwtTokenFactory): HS512 with `security.jwt.tokenSigningKey`, issuer
// `thingsboard.io`, access tokens valid 9000 s and refresh tokens 604800 s by default (B.1).
// Access-token claims: sub (e-mail), userId, scopes [authority], sessionId, firstName, lastName,
// enabled, isPublic, tenantId; refresh tokens carry scopes [REFRESH_TOKEN], isPublic and a jti.
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { badCredentials, tokenExpired } from './errors.js';
import type { UserRec } from './state.js';

export const ISSUER = 'thingsboard.io';
export const ACCESS_TOKEN_TTL_S = 9000;
export const REFRESH_TOKEN_TTL_S = 604800;

export interface TokenPair { token: string; refreshToken: string }

export interface TbClaims extends JWTPayload {
  sub: string;
  userId: string;
  scopes: string[];
  sessionId: string;
  tenantId?: string;
}

const keyOf = (signingKey: string): Uint8Array => new Uint8Array(Buffer.from(signingKey, 'base64'));

export async function createTokenPair(signingKey: string, user: UserRec, sessionId: string, nowMs: number): Promise<TokenPair> {
  const iat = Math.floor(nowMs / 1000);
  const base = { sub: user.email, userId: user.id, sessionId };
  const token = await new SignJWT({
    ...base, scopes: [user.authority], firstName: user.firstName, lastName: user.lastName, enabled: true, isPublic: false,
    // ThingsBoard leaves tenantId out of the system administrator's token.
    ...(user.authority === 'SYS_ADMIN' ? {} : { tenantId: user.tenantId }),
  }).setProtectedHeader({ alg: 'HS512' }).setIssuer(ISSUER).setIssuedAt(iat).setExpirationTime(iat + ACCESS_TOKEN_TTL_S).sign(keyOf(signingKey));
  const refreshToken = await new SignJWT({ ...base, scopes: ['REFRESH_TOKEN'], isPublic: false })
    .setProtectedHeader({ alg: 'HS512' }).setIssuer(ISSUER).setJti(randomUUID()).setIssuedAt(iat).setExpirationTime(iat + REFRESH_TOKEN_TTL_S).sign(keyOf(signingKey));
  return { token, refreshToken };
}

/** Tokens whose signature verified, per signing key: a bulk client sends one token thousands of times. */
const verified = new Map<string, TbClaims>();
const VERIFIED_CACHE_SIZE = 256;

/** Verifies signature and expiry: expired → 401 code 11, anything else wrong → 401 code 10 (BadCredentialsException). */
export async function verifyToken(signingKey: string, raw: string, nowMs: number): Promise<TbClaims> {
  const cacheKey = `${signingKey}\u0000${raw}`;
  const hit = verified.get(cacheKey);
  // Expiry is checked on every use, as jose does (no clock tolerance).
  if (hit && (hit.exp === undefined || hit.exp > Math.floor(nowMs / 1000))) return hit;
  try {
    const { payload } = await jwtVerify(raw, keyOf(signingKey), { algorithms: ['HS512'], currentDate: new Date(nowMs) });
    const claims = payload as Partial<TbClaims>;
    if (typeof claims.sub !== 'string' || typeof claims.userId !== 'string' || !Array.isArray(claims.scopes) || claims.scopes.length === 0) throw badCredentials();
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.clear();
    verified.set(cacheKey, claims as TbClaims);
    return claims as TbClaims;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw tokenExpired();
    throw badCredentials();
  }
}
