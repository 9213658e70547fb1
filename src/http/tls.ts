// TLS trust for one client: per-context CA bundle, mTLS identity, --insecure.
//
// CA bundle semantics: the bundle is ADDED to Node's default roots (plus NODE_EXTRA_CA_CERTS),
// never substituted. A context's bundle usually holds the private step-ca root so that
// https://step-ca… verifies, while Keycloak or a proxy may sit behind a public certificate; a
// replacing bundle would break those in a way users find baffling (see the SELF_SIGNED_CERT_IN_CHAIN
// threads in anchors-cli.md). Node's `ca` option replaces the defaults, so we pass the union.
//
// One SecureContext is built per client and shared by every connection: building it parses the
// ~140 default roots, which would otherwise happen on each TLS handshake.

import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { UsageError } from '../core/errors.js';
import type { HttpClientOptions } from './types.js';

/** What undici's connector passes on to tls.connect (plus the connect timeout). */
export interface TlsConnectOptions {
  timeout: number;
  rejectUnauthorized: boolean;
  secureContext?: tls.SecureContext;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function readBundle(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    throw new UsageError(`cannot read CA bundle ${path} (${code})`, {
      hint: 'check --ca-file, CDM_CA_FILE or the context CA bundle path',
      cause: err,
    });
  }
  if (text.match(PEM_CERT) === null) {
    throw new UsageError(`CA bundle ${path} contains no PEM certificate`, {
      hint: 'the file must hold one or more "-----BEGIN CERTIFICATE-----" blocks',
    });
  }
  return text;
}

/** Node's default trust: bundled roots plus NODE_EXTRA_CA_CERTS, which `ca:` would otherwise drop. */
function defaultRoots(): string[] {
  // Node >= 22.15 exposes the effective default store directly.
  const get = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof get === 'function') return get('default');
  const roots = [...tls.rootCertificates];
  const extra = process.env['NODE_EXTRA_CA_CERTS'];
  if (extra !== undefined && extra !== '') {
    try {
      roots.push(...(readFileSync(extra, 'utf8').match(PEM_CERT) ?? []));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so do we (silently).
    }
  }
  return roots;
}

/** The certificates trusted when a bundle is configured: defaults plus the bundle's certificates. */
export function trustedCertificates(bundle: string): string[] {
  return [...defaultRoots(), ...(bundle.match(PEM_CERT) ?? [])];
}

/** Builds the TLS options once per client; throws UsageError for unreadable or invalid material. */
export function buildTlsOptions(opts: HttpClientOptions, connectTimeoutMs: number): TlsConnectOptions {
  const bundles: string[] = [];
  if (opts.caFile !== undefined && opts.caFile !== '') bundles.push(readBundle(opts.caFile));
  if (opts.ca !== undefined && opts.ca !== '') bundles.push(opts.ca);
  const out: TlsConnectOptions = { timeout: connectTimeoutMs, rejectUnauthorized: opts.insecure !== true };
  if (bundles.length === 0 && opts.clientCert === undefined) return out;

  const ctx: tls.SecureContextOptions = {};
  if (bundles.length > 0) ctx.ca = trustedCertificates(bundles.join('\n'));
  if (opts.clientCert !== undefined) {
    const { cert, key } = opts.clientCert;
    if (!cert.includes('-----BEGIN') || !key.includes('-----BEGIN')) {
      throw new UsageError('the client certificate and key must be PEM text', {
        hint: 'read the files first; paths are not accepted here',
      });
    }
    ctx.cert = cert;
    ctx.key = key;
  }
  try {
    out.secureContext = tls.createSecureContext(ctx);
  } catch (err) {
    throw new UsageError(`invalid TLS material: ${(err as Error).message}`, {
      hint: 'check the CA bundle and the client certificate/key (PEM, matching pair)',
      cause: err,
    });
  }
  return out;
}

export const INSECURE_WARNING =
  'WARNING: TLS verification is disabled (--insecure): any server, or anyone between you and it, ' +
  'can impersonate the backend and read your credentials. Use --ca-file <pem> instead.';
