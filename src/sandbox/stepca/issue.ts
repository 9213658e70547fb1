// Building the certificate for /sign and /renew the way authority.Sign / authority.Rekey do:
// CSR validators (common name, key, SANs) in order, then validity bounds, then the template
// profile's extensions, the step provisioner extension, and a random 128-bit serial.
import { effectiveClaims, type JwkProvisioner } from './config.js';
import { formatGoDuration, formatGoTime } from './duration.js';
import { badRequest, forbidden } from './errors.js';
import type { TimeDuration } from './http.js';
import { randomSerial } from './material.js';
import type { CaState } from './state.js';
import { BACKDATE_MS } from './state.js';
import { PROFILES, profileForTemplate } from './templates.js';
import {
  authorityKeyIdExt, basicConstraintsExt, buildCertificate, buildName, extKeyUsageExt, keyUsageExt, OID,
  parseCertificate, provisionerExt, publicKeyOf, sanExt, splitSans, subjectKeyIdExt, type KeyUsage, type ParsedCert, type ParsedCsr, type Sans,
} from '../kit/certs/x509.js';

const goList = (xs: string[]): string => `[${xs.join(' ')}]`;
const durNs = (ms: number): bigint => BigInt(Math.round(ms)) * 1_000_000n;

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a), sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** The CSR validators of a JWK sign: CN = sub, key acceptable, each SAN type present equals the token's. */
export function validateCsr(csr: ParsedCsr, sub: string, tokenSans: Sans): void {
  if (csr.commonName && csr.commonName !== sub) {
    throw forbidden(`certificate request does not contain the valid common name - got ${csr.commonName}, want ${sub}`);
  }
  const key = publicKeyOf(csr.spki);
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw forbidden('certificate request RSA key must be at least 2048 bits (256 bytes)');
  }
  const checks: Array<[keyof Sans, string]> = [['dns', 'DNS names'], ['emails', 'email addresses'], ['ips', 'IP addresses'], ['uris', 'URIs']];
  for (const [k, label] of checks) {
    if (csr.sans[k].length && !sameSet(csr.sans[k], tokenSans[k])) {
      throw forbidden(`certificate request does not contain the valid ${label} - got ${goList(csr.sans[k])}, want ${goList(tokenSans[k])}`);
    }
  }
}

/** notBefore/notAfter from the request, bounded by the provisioner's claims (validityValidator). */
export function validity(s: CaState, p: JwkProvisioner, notBefore: TimeDuration, notAfter: TimeDuration): { nb: Date; na: Date } {
  const now = s.now();
  const claims = effectiveClaims(p, s.config.authority.claims);
  const base = notBefore ? (notBefore.kind === 'time' ? notBefore.at : now + notBefore.ms) : now;
  const na = notAfter ? (notAfter.kind === 'time' ? notAfter.at : base + notAfter.ms) : base + claims.def;
  const nb = notBefore ? base : base - BACKDATE_MS;
  const sec = (t: number): number => Math.floor(t / 1000) * 1000;
  const d = sec(na) - sec(nb);
  if (sec(na) < sec(now)) throw badRequest(`notAfter cannot be in the past; na=${formatGoTime(new Date(sec(na)))}`);
  if (sec(na) < sec(nb)) throw badRequest(`notAfter cannot be before notBefore; na=${formatGoTime(new Date(sec(na)))}, nb=${formatGoTime(new Date(sec(nb)))}`);
  if (d < claims.min) {
    throw forbidden(`requested duration of ${formatGoDuration(durNs(d))} is less than the authorized minimum certificate duration of ${formatGoDuration(durNs(claims.min))}`);
  }
  if (d > claims.max + BACKDATE_MS) {
    throw forbidden(`requested duration of ${formatGoDuration(durNs(d))} is more than the authorized maximum certificate duration of ${formatGoDuration(durNs(claims.max + BACKDATE_MS))}`);
  }
  return { nb: new Date(nb), na: new Date(na) };
}

export function issueFromCsr(s: CaState, p: JwkProvisioner, csr: ParsedCsr, sub: string, tokenSans: Sans, v: { nb: Date; na: Date }): ParsedCert {
  const spec = PROFILES[profileForTemplate(p.options?.x509?.templateFile)];
  const issuer = s.material.chain[0]!.parsed;
  const subject = buildName([
    ...(spec.organization ? [[OID.organization, spec.organization] as [string, string]] : []),
    ...(spec.organizationalUnit ? [[OID.organizationalUnit, spec.organizationalUnit] as [string, string]] : []),
    [OID.commonName, sub],
  ]);
  const isRsa = publicKeyOf(csr.spki).asymmetricKeyType === 'rsa';
  // The default template adds keyEncipherment for RSA keys.
  const keyUsage: KeyUsage[] = !spec.basicConstraints && isRsa ? ['keyEncipherment', 'digitalSignature'] : spec.keyUsage;
  const san = spec.sans ? sanExt(tokenSans) : undefined;
  const der = buildCertificate({
    serial: randomSerial(), issuer: issuer.subjectRaw, subject, notBefore: v.nb, notAfter: v.na, spki: csr.spki,
    extensions: [
      keyUsageExt(keyUsage),
      ...(spec.extKeyUsage.length ? [extKeyUsageExt(spec.extKeyUsage)] : []),
      ...(spec.basicConstraints ? [basicConstraintsExt(spec.basicConstraints.isCA, spec.basicConstraints.maxPathLen)] : []),
      subjectKeyIdExt(csr.spki), authorityKeyIdExt(issuer.spki),
      ...(san ? [san] : []),
      provisionerExt(p.name, p.key.kid),
    ],
    signer: s.material.signer,
  });
  return parseCertificate(der);
}

/** Renewal keeps subject, key and extensions; only the issuer's key id, serial and validity change. */
export function renewCertificate(s: CaState, old: ParsedCert): ParsedCert {
  const issuer = s.material.chain[0]!.parsed;
  const now = s.now();
  const lifetime = old.notAfter.getTime() - old.notBefore.getTime() - BACKDATE_MS;
  const der = buildCertificate({
    serial: randomSerial(), issuer: issuer.subjectRaw, subject: old.subjectRaw,
    notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + lifetime), spki: old.spki,
    extensions: [authorityKeyIdExt(issuer.spki), ...old.extensions.filter((e) => e.oid !== OID.authorityKeyId).map((e) => e.raw)],
    signer: s.material.signer,
  });
  return parseCertificate(der);
}

export { splitSans };
