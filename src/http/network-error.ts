// Turns a low-level failure (errno, undici code, TLS verification code) into a NetworkError that a
// user can act on: which service, which call, what went wrong in words, and what to try next.

import { NetworkError } from '../core/errors.js';

const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

interface Explanation {
  what: string;
  hint: string;
}

function explain(code: string | undefined, host: string, p: { connectTimeoutMs: number; readTimeoutMs: number }): Explanation {
  switch (code) {
    case 'ECONNREFUSED':
      return { what: 'connection refused', hint: `nothing is listening at ${host}: is the service up, and is the context's URL right? (cdm context show)` };
    case 'ENOTFOUND':
      return { what: 'host not found', hint: `DNS has no address for ${host}: check the context's URL` };
    case 'EAI_AGAIN':
      return { what: 'DNS lookup failed', hint: 'temporary DNS failure: check your network, VPN or resolver' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { what: 'connection closed by the server or a middlebox', hint: 'the server or a proxy dropped the connection; check its logs and any proxy settings (HTTPS_PROXY, NO_PROXY)' };
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { what: `no connection within ${p.connectTimeoutMs / 1000}s`, hint: `${host} is unreachable: firewall, VPN, or a proxy needed (HTTPS_PROXY)?` };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { what: `no answer within ${p.readTimeoutMs / 1000}s (read timeout)`, hint: 'the server accepted the connection but is not answering; it may be overloaded' };
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
      return { what: 'network unreachable', hint: 'check your network connection or VPN' };
    case 'CERT_HAS_EXPIRED':
      return { what: 'the server certificate has expired', hint: 'renew the server certificate (or check this machine\'s clock)' };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { what: 'the server certificate does not match the host name', hint: `use the host name the certificate was issued for, not ${host}` };
    case 'UND_ERR_PRX_TLS':
      return { what: 'TLS to the proxy failed', hint: 'check HTTPS_PROXY; trust a private proxy CA with NODE_EXTRA_CA_CERTS' };
    default:
      if (code !== undefined && TLS_TRUST_CODES.has(code)) {
        return { what: 'the server certificate is not trusted', hint: 'pass the CA bundle with --ca-file <pem> (CDM_CA_FILE) or set it on the context' };
      }
      if (code !== undefined && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
        return { what: 'TLS handshake failed', hint: 'check the URL scheme/port and, for mTLS, the client certificate' };
      }
      return { what: 'request failed', hint: 'run again with --verbose to see the HTTP exchange' };
  }
}

export function toNetworkError(p: {
  err: unknown;
  code: string | undefined;
  service: string;
  method: string;
  /** Already redacted. */
  url: string;
  host: string;
  attempts: number;
  connectTimeoutMs: number;
  readTimeoutMs: number;
}): NetworkError {
  const { what, hint } = explain(p.code, p.host, p);
  const code = p.code === undefined ? '' : ` (${p.code})`;
  const tries = p.attempts > 1 ? ` after ${p.attempts} attempts` : '';
  return new NetworkError(`${p.service}: ${p.method} ${p.url} failed${tries}: ${what}${code}`, {
    service: p.service,
    hint,
    cause: p.err,
  });
}
