// Serial and validity of a certificate the server just issued, read straight from its DER: a bulk
// enrollment needs only these fields per device, and OpenSSL's full parse cost ~0.3 ms each.
// Anything that does not have the shape of an X.509 certificate is refused.

export interface CertFacts {
  /** Decimal, as step-ca and `step certificate inspect` print serials. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

interface Tlv { tag: number; start: number; end: number; next: number }

export function certificateFacts(pem: string): CertFacts {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error('no CERTIFICATE block');
  const der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const cert = expect(der, 0, 0x30, 'Certificate');
  const tbs = expect(der, cert.start, 0x30, 'TBSCertificate');
  let field = readTlv(der, tbs.start);
  if (field.tag === 0xa0) field = readTlv(der, field.next); // [0] version
  if (field.tag !== 0x02) throw new Error('malformed certificate: no serial number');
  const serial = BigInt(`0x${der.subarray(field.start, field.end).toString('hex') || '0'}`).toString(10);
  const sigAlg = expect(der, field.next, 0x30, 'signature algorithm');
  const issuer = expect(der, sigAlg.next, 0x30, 'issuer');
  const validity = expect(der, issuer.next, 0x30, 'validity');
  const notBefore = readTlv(der, validity.start);
  const notAfter = readTlv(der, notBefore.next);
  return { serial, notBefore: decodeTime(der, notBefore, 'notBefore'), notAfter: decodeTime(der, notAfter, 'notAfter') };
}

function expect(der: Buffer, at: number, tag: number, what: string): Tlv {
  const t = readTlv(der, at);
  if (t.tag !== tag) throw new Error(`malformed certificate: no ${what}`);
  return t;
}

function readTlv(der: Buffer, at: number): Tlv {
  if (at + 2 > der.length) throw new Error('malformed certificate: truncated');
  const tag = der[at]!;
  let len = der[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) throw new Error('malformed certificate: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > der.length) throw new Error('malformed certificate: truncated');
  return { tag, start, end, next: end };
}

/** UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ), as RFC 5280 requires them. */
function decodeTime(der: Buffer, t: Tlv, what: string): Date {
  const s = der.subarray(t.start, t.end).toString('ascii');
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : t.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  if (!m) throw new Error(`malformed certificate: bad ${what}`);
  const year = t.tag === 0x17 ? (Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]) : Number(m[1]);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
