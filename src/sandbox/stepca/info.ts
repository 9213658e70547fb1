// The read-only endpoints: health, version, roots, provisioners and their encrypted keys, CRL.
import { pageProvisioners } from './config.js';
import { buildCrl } from './crl.js';
import { badRequest, notFound } from './errors.js';
import { send, sendJson, type Scope } from './http.js';
import { fingerprint } from './material.js';
import type { CaState } from './state.js';
import { VERSION_STRING } from './state.js';
import { derToPem } from '../kit/certs/x509.js';

export const health = (_s: CaState, scope: Scope): void => sendJson(scope, 200, { status: 'ok' });

export const version = (s: CaState, scope: Scope): void => sendJson(scope, 200, { version: VERSION_STRING[s.version] });

/** 201, not 200: step-ca answers the certificate bundle endpoints with StatusCreated. */
export const roots = (s: CaState, scope: Scope): void => sendJson(scope, 201, { crts: s.material.roots.map((c) => c.pem) });

export const federation = roots;

export const intermediates = (s: CaState, scope: Scope): void =>
  sendJson(scope, 201, { crts: s.material.chain.map((c) => c.pem) });

const pemBundle = (scope: Scope, pems: string[]): void =>
  send(scope, 200, pems.join(''), { 'content-type': 'application/x-pem-file' });

export const rootsPem = (s: CaState, scope: Scope): void => pemBundle(scope, s.material.roots.map((c) => c.pem));
export const intermediatesPem = (s: CaState, scope: Scope): void => pemBundle(scope, s.material.chain.map((c) => c.pem));

export function root(s: CaState, scope: Scope): void {
  const sum = (scope.ctx.params.sha ?? '').replace(/-/g, '').toLowerCase();
  const hit = s.material.roots.find((c) => fingerprint(c.parsed.der) === sum);
  if (!hit) throw notFound(`${scope.ctx.req.url ?? ''} was not found: certificate with fingerprint ${sum} was not found`);
  sendJson(scope, 200, { ca: hit.pem });
}

export function provisioners(s: CaState, scope: Scope): void {
  const limitText = scope.ctx.query.get('limit') ?? '';
  let limit = 0;
  if (limitText) {
    // strconv.Atoi: optional sign and decimal digits only.
    if (!/^[+-]?\d+$/.test(limitText)) throw badRequest(`limit '${limitText}' is not an integer`);
    limit = Number(limitText);
  }
  const { page, next } = pageProvisioners(s.config.authority.provisioners, scope.ctx.query.get('cursor') ?? '', limit);
  sendJson(scope, 200, { provisioners: page, nextCursor: next });
}

export function encryptedKey(s: CaState, scope: Scope): void {
  const kid = scope.ctx.params.kid ?? '';
  const p = s.config.authority.provisioners.find((x) => x.key.kid === kid && x.encryptedKey);
  if (!p) throw notFound(`encrypted key with kid ${kid} was not found`);
  sendJson(scope, 200, { key: p.encryptedKey });
}

export function crl(s: CaState, scope: Scope): void {
  if (!s.config.crl?.enabled) throw notFound('Certificate Revocation Lists are not enabled');
  const { der, nextUpdate } = buildCrl(s);
  const expires = nextUpdate.toUTCString();
  if (scope.ctx.query.has('pem')) {
    send(scope, 200, derToPem(der, 'X509 CRL'), {
      'content-type': 'application/x-pem-file', 'content-disposition': 'attachment; filename="crl.pem"', expires,
    });
  } else {
    send(scope, 200, der, { 'content-type': 'application/pkix-crl', 'content-disposition': 'attachment; filename="crl.crl"', expires });
  }
}
