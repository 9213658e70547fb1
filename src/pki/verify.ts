// Chain verification with Node's own X.509 (OpenSSL underneath): from the leaf, through the
// intermediates given with it, to one of the trusted roots. Every link must name its issuer,
// carry a valid signature, be within its validity period, and every issuer must be a CA.
// Intermediates from the file are never trust anchors.
import { X509Certificate } from 'node:crypto';
import { CdmError } from '../core/errors.js';
import { sha256Hex } from './fingerprint.js';

/** The certificate does not verify (exit 1, with the reason). */
export class VerificationError extends CdmError {
  override readonly code = 'verification_failed';
}

export interface ChainLink {
  subject: string;
  issuer: string;
  serial: string;
  notAfter: string;
}

export interface VerifyResult {
  valid: true;
  subject: string;
  notAfter: string;
  expiresInSeconds: number;
  chain: ChainLink[];
  root: { subject: string; fingerprintSha256: string };
}

const MAX_DEPTH = 8;

function name(c: X509Certificate): string {
  return c.subject.replace(/\n/g, ', ');
}

function link(c: X509Certificate): ChainLink {
  return { subject: name(c), issuer: c.issuer.replace(/\n/g, ', '), serial: BigInt(`0x${c.serialNumber}`).toString(10), notAfter: new Date(c.validTo).toISOString() };
}

function checkTime(c: X509Certificate, now: Date): void {
  if (now < new Date(c.validFrom)) throw new VerificationError(`certificate "${name(c)}" is not valid before ${new Date(c.validFrom).toISOString()}`);
  if (now > new Date(c.validTo)) throw new VerificationError(`certificate "${name(c)}" expired at ${new Date(c.validTo).toISOString()}`);
}

function issues(issuer: X509Certificate, child: X509Certificate): boolean {
  return child.checkIssued(issuer) && child.verify(issuer.publicKey);
}

export function verifyChain(certPems: readonly string[], rootPems: readonly string[], now: Date): VerifyResult {
  if (certPems.length === 0) throw new VerificationError('no certificate to verify');
  if (rootPems.length === 0) throw new VerificationError('no trusted root to verify against');
  const certs = certPems.map((p) => new X509Certificate(p));
  const roots = rootPems.map((p) => new X509Certificate(p));
  const pool = certs.slice(1);
  const leaf = certs[0]!;
  const path: X509Certificate[] = [];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    checkTime(current, now);
    path.push(current);
    const anchor = roots.find((r) => r.raw.equals(current.raw)) ?? roots.find((r) => issues(r, current));
    if (anchor) {
      checkTime(anchor, now);
      if (!anchor.raw.equals(current.raw) && !anchor.ca) throw new VerificationError(`root "${name(anchor)}" is not a CA certificate`);
      return {
        valid: true,
        subject: name(leaf),
        notAfter: new Date(leaf.validTo).toISOString(),
        expiresInSeconds: Math.floor((new Date(leaf.validTo).getTime() - now.getTime()) / 1000),
        chain: path.map(link),
        root: { subject: name(anchor), fingerprintSha256: sha256Hex(anchor.raw) },
      };
    }
    const next = pool.find((p) => !path.includes(p) && issues(p, current));
    if (!next) {
      const named = pool.find((p) => current.checkIssued(p));
      if (named) throw new VerificationError(`the signature of "${name(current)}" does not verify with the key of "${name(named)}"`);
      const alone = pool.length === 0 && current === leaf && leaf.subject !== leaf.issuer;
      throw new VerificationError(`"${name(current)}" (issuer "${current.issuer.replace(/\n/g, ', ')}") does not chain to a trusted root`, alone ? {
        // The usual cause: the leaf was given without its intermediates (a device's directory keeps them in ca.crt).
        hint: 'the file holds this certificate alone; put its issuing CA certificates after it, e.g. cat device.crt ca.crt | cdm cert verify -',
      } : undefined);
    }
    if (!next.ca) throw new VerificationError(`issuer "${name(next)}" is not a CA certificate`);
    current = next;
  }
  throw new VerificationError(`chain longer than ${MAX_DEPTH} certificates`);
}
