// One-time-token checks for JWK provisioners, in step-ca's order (authority/authorize.go,
// provisioner/jwk.go): parse; iat not before the CA started; provisioner by iss + kid among
// tokens whose aud is any CA audience; mark the token used (before its signature is checked,
// so even a refused token is burnt); signature; iss/exp/nbf with one minute of leeway; the aud
// for this operation; non-empty sub. Every failure is a 401 with the generic message.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { JwkProvisioner } from './config.js';
import type { CaDb } from './db.js';
import { unauthorized } from './errors.js';

export type TokenPurpose = 'sign' | 'revoke';

export interface TokenClaims {
  iss: string; sub: string; aud: string[]; sans?: string[];
  jti?: string; iat?: number; nbf?: number; exp?: number; [k: string]: unknown;
}

export interface Authorized { provisioner: JwkProvisioner; claims: TokenClaims; tokenId: string }

export interface TokenContext {
  provisioners: JwkProvisioner[];
  dnsNames: string[];
  /** CA start, truncated to the second like step-ca's. */
  startTime: number;
  now: number;
  db: CaDb;
}

const LEEWAY_S = 60;

function hostOf(name: string): string {
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

export function audiences(dnsNames: string[], purpose: TokenPurpose | 'all'): string[] {
  const out = ['step-certificate-authority'];
  for (const n of dnsNames) {
    const h = `https://${hostOf(n)}`;
    if (purpose === 'sign' || purpose === 'all') out.push(`${h}/1.0/sign`, `${h}/sign`, `${h}/1.0/ssh/sign`, `${h}/ssh/sign`);
    if (purpose === 'revoke' || purpose === 'all') out.push(`${h}/1.0/revoke`, `${h}/revoke`);
    if (purpose === 'all') {
      out.push(`${h}/1.0/renew`, `${h}/renew`, `${h}/1.0/ssh/revoke`, `${h}/ssh/revoke`,
        `${h}/1.0/ssh/renew`, `${h}/ssh/renew`, `${h}/1.0/ssh/rekey`, `${h}/ssh/rekey`);
    }
  }
  return out;
}

/** step-ca compares audiences with the port removed, so proxies and port mappings still match. */
function stripPort(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.hostname}${u.pathname}${u.search}${u.hash}`;
  } catch {
    return raw;
  }
}

/** Audience strings seen recently, port removed: every token is compared with ~20 audiences. */
const stripped = new Map<string, string>();
function strippedAudience(raw: string): string {
  let s = stripped.get(raw);
  if (s === undefined) {
    s = stripPort(raw);
    if (stripped.size >= 1024) stripped.clear();
    stripped.set(raw, s);
  }
  return s;
}

export function matchesAudience(got: string[], want: string[]): boolean {
  return got.some((a) => want.some((b) => a === b || strippedAudience(a) === strippedAudience(b)));
}

function decodePart(part: string | undefined): Record<string, unknown> {
  if (!part || !/^[A-Za-z0-9_-]+$/.test(part)) throw new Error('malformed JWS');
  const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('malformed JWS');
  return v as Record<string, unknown>;
}

function parseClaims(raw: Record<string, unknown>): TokenClaims {
  const str = (k: string): string => {
    const v = raw[k];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw new Error(`claim ${k} is not a string`);
    return v;
  };
  const num = (k: string): number | undefined => {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number') throw new Error(`claim ${k} is not a number`);
    return v;
  };
  const aud = raw.aud;
  let audList: string[];
  if (aud === undefined || aud === null) audList = [];
  else if (typeof aud === 'string') audList = [aud];
  else if (Array.isArray(aud) && aud.every((a) => typeof a === 'string')) audList = aud;
  else throw new Error('claim aud is invalid');
  const sans = raw.sans;
  if (sans !== undefined && sans !== null && !(Array.isArray(sans) && sans.every((s) => typeof s === 'string'))) {
    throw new Error('claim sans is invalid');
  }
  return {
    ...raw, iss: str('iss'), sub: str('sub'), aud: audList, jti: str('jti'),
    ...(Array.isArray(sans) ? { sans: sans as string[] } : {}),
    iat: num('iat'), nbf: num('nbf'), exp: num('exp'),
  };
}

/** The token's ES256 signature, checked on libuv's threadpool so the event loop serves others meanwhile. */
function verifyOffLoop(signed: Buffer, key: KeyObject, sig: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, sig, (err, ok) => resolve(!err && ok));
  });
}

/** Keyed by the JWK's JSON: a config reload may bring new provisioner objects with the same keys. */
const publicKeys = new Map<string, KeyObject>();

/** The provisioner's JWK as a KeyObject, imported once (every token is checked against it). */
function provisionerKey(p: JwkProvisioner): KeyObject {
  const id = JSON.stringify(p.key);
  let key = publicKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: { ...p.key }, format: 'jwk' });
    publicKeys.set(id, key);
  }
  return key;
}

export async function authorizeToken(ctx: TokenContext, token: string, purpose: TokenPurpose): Promise<Authorized> {
  const parts = token.split('.');
  let header: Record<string, unknown>;
  let claims: TokenClaims;
  try {
    if (parts.length !== 3) throw new Error('compact JWS must have three parts');
    header = decodePart(parts[0]);
    claims = parseClaims(decodePart(parts[1]));
    if (typeof header.alg !== 'string') throw new Error('missing alg');
  } catch (err) {
    throw unauthorized(`authority.authorizeToken: error parsing token: ${(err as Error).message}`);
  }
  if (claims.iat !== undefined && claims.iat * 1000 < ctx.startTime) {
    throw unauthorized('authority.authorizeToken: token issued before the bootstrap of certificate authority');
  }
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const provisioner = matchesAudience(claims.aud, audiences(ctx.dnsNames, 'all'))
    ? ctx.provisioners.find((p) => p.name === claims.iss && p.key.kid === kid)
    : undefined;
  if (!provisioner) {
    throw unauthorized(`authority.authorizeToken: provisioner not found or invalid audience (${claims.aud.join(', ')})`);
  }
  const tokenId = claims.jti || createHash('sha256').update(token).digest('hex');
  if (!ctx.db.useToken(tokenId, (claims.exp ?? Infinity) * 1000, ctx.now)) {
    throw unauthorized('authority.authorizeToken: token already used');
  }
  const key = provisionerKey(provisioner);
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const sig = Buffer.from(parts[2]!, 'base64url');
  if (header.alg !== provisioner.key.alg || !(await verifyOffLoop(signed, key, sig))) {
    throw unauthorized('jwk.authorizeToken; error parsing jwk claims: go-jose/go-jose: error in cryptographic primitive');
  }
  const nowS = ctx.now / 1000;
  if (claims.iss !== provisioner.name) throw unauthorized('jwk.authorizeToken; invalid jwk claims: square/go-jose/jwt: validation failed, invalid issuer claim (iss)');
  if (claims.exp !== undefined && nowS - LEEWAY_S > claims.exp) {
    throw unauthorized('jwk.authorizeToken; invalid jwk claims: square/go-jose/jwt: validation failed, token is expired (exp)');
  }
  if (claims.nbf !== undefined && nowS + LEEWAY_S < claims.nbf) {
    throw unauthorized('jwk.authorizeToken; invalid jwk claims: square/go-jose/jwt: validation failed, token not valid yet (nbf)');
  }
  const want = audiences(ctx.dnsNames, purpose);
  if (!matchesAudience(claims.aud, want)) {
    throw unauthorized(`jwk.authorizeToken; invalid jwk token audience claim (aud); want [${want.join(' ')}], but got [${claims.aud.join(' ')}]`);
  }
  if (!claims.sub) throw unauthorized('jwk.authorizeToken; jwk token subject cannot be empty');
  return { provisioner, claims, tokenId };
}
