// GET /crl (newer step-ca only; 0.19 has no such route): a v2 CRL signed by the issuing CA,
// listing passively revoked serials whose certificates have not expired yet.
import { explicit, integer, octets, oid, seq, time, tlv } from '../kit/certs/der.js';
import type { CaState } from './state.js';
import { authorityKeyIdExt, signatureAlgorithm, signTbs, OID } from '../kit/certs/x509.js';

const CRL_LIFETIME_MS = 24 * 3_600_000;

export function buildCrl(s: CaState): { der: Buffer; nextUpdate: Date } {
  const now = s.now();
  const issuer = s.material.chain[0]!.parsed;
  const entries = s.db.revocations()
    .filter(([serial]) => /^\d+$/.test(serial))
    .filter(([serial]) => { const c = s.db.cert(serial); return !c || Date.parse(c.notAfter) > now; })
    .map(([serial, r]) => seq(
      integer(BigInt(serial)),
      time(new Date(r.revokedAt)),
      ...(r.reasonCode > 0 ? [seq(seq(oid(OID.crlReason), octets(tlv(0x0a, Buffer.from([r.reasonCode])))))] : []),
    ));
  const nextUpdate = new Date(now + CRL_LIFETIME_MS);
  const tbs = seq(
    integer(1n),
    signatureAlgorithm(s.material.signer).algId,
    issuer.subjectRaw,
    time(new Date(now)),
    time(nextUpdate),
    ...(entries.length ? [seq(...entries)] : []),
    explicit(0, seq(authorityKeyIdExt(issuer.spki), seq(oid(OID.crlNumber), octets(integer(BigInt(Math.floor(now / 1000))))))),
  );
  return { der: signTbs(tbs, s.material.signer), nextUpdate };
}
