// POST /sign (and /1.0/sign): CSR + one-time token -> certificate (api/sign.go).
import { nameAttribute } from '../kit/certs/x509.js';
import { badRequest } from './errors.js';
import { readJsonBody, type Scope } from './http.js';
import { issueFromCsr, splitSans, validateCsr, validity } from './issue.js';
import { sendSignResponse } from './respond.js';
import type { CaState } from './state.js';
import { authorizeToken } from './token.js';
import { verifyCsrSignature, OID } from '../kit/certs/x509.js';

export async function handleSign(s: CaState, scope: Scope): Promise<void> {
  const body = await readJsonBody(scope, {
    csr: 'csr', ott: 'string', notAfter: 'timeduration', notBefore: 'timeduration', templateData: 'raw',
  });
  // step-ca logs the token before validating the request.
  scope.fields.ott = body.ott ?? '';
  if (!body.csr) throw badRequest('missing csr');
  if (!(await verifyCsrSignature(body.csr))) throw badRequest('invalid csr');
  if (!body.ott) throw badRequest('missing ott');
  const now = s.now();
  const { provisioner, claims } = await authorizeToken({
    provisioners: s.config.authority.provisioners, dnsNames: s.config.dnsNames,
    startTime: s.startTime, now, db: s.db,
  }, body.ott, 'sign');
  // Older clients put only the subject in the CSR; the token's SANs default to [sub].
  const sans = splitSans(claims.sans?.length ? claims.sans : [claims.sub]);
  validateCsr(body.csr, claims.sub, sans);
  const v = validity(s, provisioner, body.notBefore, body.notAfter);
  const leaf = issueFromCsr(s, provisioner, body.csr, claims.sub, sans, v);
  s.db.storeCert(leaf.serial.toString(10), {
    subject: nameAttribute(leaf.subjectRaw, OID.commonName) ?? '', provisioner: provisioner.name,
    notAfter: leaf.notAfter.toISOString(), issuedAt: new Date(now).toISOString(),
  });
  sendSignResponse(s, scope, leaf);
}
