// ca.json as a real step-ca reads it, and the JWK provisioners in it. The emulator keeps its
// configuration in the same shape so a state dir looks like a real CA's (config/ca.json).
import { createHash, generateKeyPairSync } from 'node:crypto';
import { CompactEncrypt } from 'jose';
import { parseGoDuration } from './duration.js';

export interface PublicJwk { use: 'sig'; kty: 'EC'; kid: string; crv: 'P-256'; alg: 'ES256'; x: string; y: string }

export interface Claims { minTLSCertDuration?: string; maxTLSCertDuration?: string; defaultTLSCertDuration?: string; disableRenewal?: boolean }

export interface JwkProvisioner {
  type: 'JWK';
  name: string;
  key: PublicJwk;
  encryptedKey?: string;
  claims?: Claims;
  options?: { x509?: { templateFile?: string; templateData?: unknown } };
}

export interface TlsOptions { cipherSuites: string[]; minVersion: number; maxVersion: number; renegotiation: boolean }

export interface CaJson {
  root: string;
  federatedRoots: null;
  crt: string;
  key: string;
  address: string;
  insecureAddress: string;
  dnsNames: string[];
  logger: { format: 'text' };
  db: { type: string; dataSource: string };
  crl?: { enabled: boolean; generateOnRevoke?: boolean };
  authority: { provisioners: JwkProvisioner[]; claims?: Claims };
  tls: TlsOptions;
}

export const DEFAULT_TLS: TlsOptions = {
  cipherSuites: ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  minVersion: 1.2, maxVersion: 1.3, renegotiation: false,
};

/** A new JWK provisioner key pair; the private JWK leaves only as the password-encrypted JWE. */
export function newJwkKey(): { pub: PublicJwk; priv: Record<string, string> } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as { crv: string; kty: string; x: string; y: string; d: string };
  // kid = RFC 7638 thumbprint (required members in lexicographic order), as `step crypto jwk create`.
  const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
  const pub: PublicJwk = { use: 'sig', kty: 'EC', kid, crv: 'P-256', alg: 'ES256', x: jwk.x, y: jwk.y };
  return { pub, priv: { ...pub, d: jwk.d } };
}

/** Compact JWE as step writes `encryptedKey`: PBES2-HS256+A128KW, A256GCM, p2c 100000, cty jwk+json. */
export async function encryptJwk(priv: Record<string, string>, password: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(priv)))
    .setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A256GCM', cty: 'jwk+json' })
    // jose takes the iteration count as a key-management parameter (it writes p2c/p2s itself).
    .setKeyManagementParameters({ p2c: 100000 })
    .encrypt(new TextEncoder().encode(password));
}

const HOUR = 3_600_000;

/** Effective x509 claims: provisioner claims over authority claims over step-ca's global defaults. */
export function effectiveClaims(p: JwkProvisioner, global: Claims | undefined): { min: number; max: number; def: number; disableRenewal: boolean } {
  const pick = (k: 'minTLSCertDuration' | 'maxTLSCertDuration' | 'defaultTLSCertDuration', fallback: number): number => {
    const text = p.claims?.[k] ?? global?.[k];
    return (text && parseGoDuration(text)) || fallback;
  };
  return {
    min: pick('minTLSCertDuration', 5 * 60_000),
    max: pick('maxTLSCertDuration', 24 * HOUR),
    def: pick('defaultTLSCertDuration', 24 * HOUR),
    disableRenewal: p.claims?.disableRenewal ?? global?.disableRenewal ?? false,
  };
}

/**
 * GET /provisioners paging as provisioner.Collection.Find does it: each provisioner gets a uid of
 * its insertion index (4 bytes, big endian) followed by the rest of SHA-1("<name>:<kid>") in hex;
 * the cursor is the next uid with leading zeros trimmed; limit <= 0 means 20, more than 100 is 100.
 */
export function pageProvisioners(list: JwkProvisioner[], cursor: string, limit: number): { page: JwkProvisioner[]; next: string } {
  const lim = limit <= 0 ? 20 : Math.min(limit, 100);
  const uids = list.map((p, i) => {
    const sum = createHash('sha1').update(`${p.name}:${p.key.kid}`).digest();
    sum.writeUInt32BE(i, 0);
    return sum.toString('hex');
  });
  // Go pads the cursor to 40 characters with leading zeros (%040s) before comparing.
  const padded = cursor.padStart(40, '0');
  let i = uids.findIndex((u) => u >= padded);
  if (i < 0) i = list.length;
  const page = list.slice(i, i + lim);
  const end = i + page.length;
  return { page, next: end < list.length ? uids[end]!.replace(/^0+/, '') : '' };
}
