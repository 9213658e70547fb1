// Revoking at the wrong CA: step-ca records any serial it is asked to revoke (0.19 answered 200 for
// a serial it never issued), so a certificate "revoked" through another tenant's context keeps
// renewing at the CA that issued it, and the operator believes the incident contained. With the
// certificate in hand (`cert revoke --cert`), cdm checks that this context's CA issued it first.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { certificatePems, toPem } from '../../pki/pem.js';
import type { StepCaConnection } from './connect.js';

/** How far up a chain the check walks (leaf, Sub-CA, intermediate, root and some slack). */
const MAX_DEPTH = 6;
const TLS_TIMEOUT_MS = 10_000;

export type IssuerCheck = { issuedHere: true } | { issuedHere: false; issuer: string } | { issuedHere: 'unknown'; why: string };

const issues = (issuer: X509Certificate, child: X509Certificate): boolean => child.checkIssued(issuer) && child.verify(issuer.publicKey);

/**
 * Whether the first certificate of `pem` chains, by signatures alone (an expired certificate may
 * still be revoked), to the context's roots through the CA's intermediates or the file's own chain.
 */
export function chainsTo(pem: string, roots: readonly string[], intermediates: readonly string[]): boolean {
  const [leafPem, ...rest] = certificatePems(pem);
  if (!leafPem) return false;
  const anchors = roots.map((p) => new X509Certificate(p));
  const pool = [...rest, ...intermediates].map((p) => new X509Certificate(p));
  let current = new X509Certificate(leafPem);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (anchors.some((a) => a.raw.equals(current.raw) || issues(a, current))) return true;
    const next = pool.find((p) => !p.raw.equals(current.raw) && issues(p, current));
    if (!next) return false;
    current = next;
  }
  return false;
}

export async function checkIssuedHere(conn: StepCaConnection, pem: string): Promise<IssuerCheck> {
  let roots: string[];
  try {
    roots = await conn.roots();
  } catch (err) {
    if (err instanceof UsageError) return { issuedHere: 'unknown', why: `context "${conn.context.name}" pins no step-ca root` };
    throw err;
  }
  const intermediates = await caIntermediates(conn);
  if (chainsTo(pem, roots, intermediates)) return { issuedHere: true };
  const pems = certificatePems(pem);
  if (intermediates.length === 0 && pems.length === 1) return { issuedHere: 'unknown', why: 'its intermediates could not be read and the file holds the certificate without its chain' };
  return { issuedHere: false, issuer: new X509Certificate(pems[0]!).issuer.replace(/\n/g, ', ') };
}

/** The CA's intermediates (PEM): /intermediates, or on step-ca 0.19, which has no such route, its TLS chain. */
export async function caIntermediates(conn: StepCaConnection): Promise<string[]> {
  try {
    return await (await conn.client()).intermediates();
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    return tlsChain(conn.url).catch(() => []);
  }
}

/**
 * The CA certificates the server presents above its own TLS certificate. Read without verifying
 * the connection: they count only if their signatures chain to the pinned roots (chainsTo).
 */
async function tlsChain(url: string): Promise<string[]> {
  const { connect } = await import('node:tls');
  const u = new URL(url);
  if (u.protocol !== 'https:') return [];
  return new Promise<string[]>((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || 443), ...(isIP(u.hostname) ? {} : { servername: u.hostname }), rejectUnauthorized: false }, () => {
      const out: string[] = [];
      let c = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      for (let depth = 0; c && c.raw && depth < MAX_DEPTH && !seen.has(c.fingerprint256); depth++) {
        seen.add(c.fingerprint256);
        if (depth > 0) out.push(toPem(c.raw, 'CERTIFICATE'));
        c = c.issuerCertificate;
      }
      socket.end();
      resolve(out);
    });
    socket.setTimeout(TLS_TIMEOUT_MS, () => socket.destroy(new Error('timed out')));
    socket.on('error', reject);
  });
}
