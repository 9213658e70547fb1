// The SignResponse shape shared by /sign and /renew, and the certificate fields step-ca adds to
// the request's log line (api.LogCertificate) — the lines `cdm audit` reads issuance from.
import type { Scope } from './http.js';
import { sendJson } from './http.js';
import type { CaState } from './state.js';
import { derToPem, nameAttribute, OID, publicKeyOf, readProvisionerExt, type ParsedCert } from '../kit/certs/x509.js';

const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function publicKeyText(cert: ParsedCert): string {
  const key = publicKeyOf(cert.spki);
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[d?.namedCurve ?? ''] ?? d?.namedCurve;
    return `ECDSA ${curve}`;
  }
  if (key.asymmetricKeyType === 'rsa') return `RSA ${d?.modulusLength ?? 0}`;
  return 'Ed25519';
}

export function logCertificate(scope: Scope, cert: ParsedCert): void {
  const prov = readProvisionerExt(cert);
  Object.assign(scope.fields, {
    serial: cert.serial.toString(10),
    subject: nameAttribute(cert.subjectRaw, OID.commonName) ?? '',
    issuer: nameAttribute(cert.issuerRaw, OID.commonName) ?? '',
    'valid-from': rfc3339(cert.notBefore),
    'valid-to': rfc3339(cert.notAfter),
    'public-key': publicKeyText(cert),
    certificate: cert.der.toString('base64'),
    ...(prov ? { provisioner: prov.kid ? `${prov.name} (${prov.kid})` : prov.name } : {}),
  });
}

export function sendSignResponse(s: CaState, scope: Scope, leaf: ParsedCert): void {
  const chain = s.material.chain.map((c) => c.pem);
  const crt = derToPem(leaf.der);
  logCertificate(scope, leaf);
  sendJson(scope, 201, {
    crt,
    ca: chain[0],
    certChain: [crt, ...chain],
    ...(s.config.tls ? { tlsOptions: s.config.tls } : {}),
  });
}
