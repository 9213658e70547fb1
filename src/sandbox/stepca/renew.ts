// POST /renew: the client certificate of the mTLS connection is the certificate to renew
// (api/renew.go, authority.Rekey). Passive revocation takes effect here.
import { effectiveClaims } from './config.js';
import { formatGoTime } from './duration.js';
import { badRequest, unauthorized, unauthorizedWithMessage } from './errors.js';
import type { Scope } from './http.js';
import { renewCertificate } from './issue.js';
import { sendSignResponse } from './respond.js';
import type { CaState } from './state.js';
import { nameAttribute, OID, parseCertificate, readProvisionerExt } from '../kit/certs/x509.js';

export function handleRenew(s: CaState, scope: Scope): void {
  if (!scope.peer) {
    if (/^Bearer /.test(scope.ctx.header('authorization') ?? '')) {
      // x5c renew tokens are not emulated; refuse them as step-ca refuses a token it cannot validate.
      throw unauthorized('error validating renew token: renew tokens are not supported by the sandbox CA');
    }
    throw badRequest('missing client certificate');
  }
  if (scope.peerExpired) {
    throw unauthorizedWithMessage(`certificate expired on ${formatGoTime(scope.peerExpired)}`);
  }
  const old = parseCertificate(scope.peer);
  const serial = old.serial.toString(10);
  if (s.db.isRevoked(serial)) throw unauthorized('cahandler.Renew: authority.Rekey: authority.authorizeRenew: certificate has been revoked');
  const ext = readProvisionerExt(old);
  const prov = ext && s.config.authority.provisioners.find((p) => p.name === ext.name && p.key.kid === ext.kid);
  if (prov && effectiveClaims(prov, s.config.authority.claims).disableRenewal) {
    throw unauthorized(`authority.authorizeRenew: renew is disabled for provisioner '${prov.name}'`);
  }
  const leaf = renewCertificate(s, old);
  s.db.storeCert(leaf.serial.toString(10), {
    subject: nameAttribute(leaf.subjectRaw, OID.commonName) ?? '', provisioner: ext?.name ?? '',
    notAfter: leaf.notAfter.toISOString(), issuedAt: new Date(s.now()).toISOString(),
  });
  sendSignResponse(s, scope, leaf);
}
