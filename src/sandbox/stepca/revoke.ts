// POST /revoke (api/revoke.go, authority.Revoke): passive revocation only, authorised by a
// revoke token or by mTLS with the certificate being revoked. 0.19 stores the serial string as
// sent and does not compare the token subject; newer releases (0.21+) normalise the serial to
// decimal and require token sub == serial.
import { badRequest, forbidden, notImplemented } from './errors.js';
import { readJsonBody, sendJson, type Scope } from './http.js';
import { logCertificate } from './respond.js';
import type { CaState } from './state.js';
import { authorizeToken } from './token.js';
import { parseCertificate, readProvisionerExt } from '../kit/certs/x509.js';

/** big.Int.SetString(s, 0): optional sign, 0x/0o/0b prefixes, leading 0 = octal, underscores after a prefix. */
function parseSerial(text: string): string | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  let body = m[2]!;
  if (/^0[0-7_]+$/.test(body)) body = '0o' + body.slice(1);
  try {
    const v = BigInt(body.replace(/_/g, ''));
    return (m[1] === '-' ? -v : v).toString(10);
  } catch {
    return undefined;
  }
}

export async function handleRevoke(s: CaState, scope: Scope): Promise<void> {
  const body = await readJsonBody(scope, { serial: 'string', ott: 'string', reasonCode: 'int', reason: 'string', passive: 'bool' });
  let serial = body.serial ?? '';
  const reasonCode = body.reasonCode ?? 0;
  if (!serial) throw badRequest('missing serial');
  if (s.version !== '0.19') {
    const normalised = parseSerial(serial);
    if (normalised === undefined) {
      throw badRequest(`'${serial}' is not a valid serial number - use a base 10 representation or a base 16 representation with '0x' prefix`);
    }
    serial = normalised;
  }
  if (reasonCode < 0 || reasonCode > 10) throw badRequest('reasonCode out of bounds');
  if (!body.passive) throw notImplemented('non-passive revocation not implemented');

  let provisionerId = '';
  let tokenId = '';
  let mTLS = false;
  if (body.ott) {
    scope.fields.ott = body.ott;
    const auth = await authorizeToken({
      provisioners: s.config.authority.provisioners, dnsNames: s.config.dnsNames,
      startTime: s.startTime, now: s.now(), db: s.db,
    }, body.ott, 'revoke');
    if (s.version !== '0.19' && auth.claims.sub !== serial) {
      throw forbidden(`request serial number "${serial}" and token subject "${auth.claims.sub}" do not match`);
    }
    provisionerId = `${auth.provisioner.name}:${auth.provisioner.key.kid}`;
    tokenId = auth.tokenId;
  } else {
    if (!scope.peer) throw badRequest('missing ott or client certificate');
    const crt = parseCertificate(scope.peer);
    if (crt.serial.toString(10) !== serial) throw badRequest('serial number in client certificate different than body');
    logCertificate(scope, crt);
    const ext = readProvisionerExt(crt);
    provisionerId = ext ? `${ext.name}:${ext.kid}` : '';
    mTLS = true;
  }
  const stored = s.db.revoke(serial, {
    reasonCode, reason: body.reason ?? '', revokedAt: new Date(s.now()).toISOString(), mTLS, provisionerId, tokenId,
  });
  if (!stored) throw badRequest(`certificate with serial number '${serial}' is already revoked`);
  Object.assign(scope.fields, { serial, reasonCode, reason: body.reason ?? '', passiveOnly: true, mTLS });
  sendJson(scope, 200, { status: 'ok' });
}
