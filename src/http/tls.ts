// TLS trust for one client: per-context CA bundle, mTLS identity, --insecure.
//
// CA bundle semantics: the bundle is ADDED to Node's default roots (plus NODE_EXTRA_CA_CERTS),
// never substituted. A context's bundle usually holds the private step-ca root so that
// https://step-ca… verifies, while Keycloak or a proxy may sit behind a public certificate; a
// replacing bundle would break those in a way users find baffling (see the SELF_SIGNED_CERT_IN_CHAIN
// threads in anchors-cli.md). Node's `ca` option replaces the defaults, so we pass the union.
//
// One SecureContext is built per client, on its first HTTPS connection, and shared by every
// connection: building it parses the ~140 default roots, which would otherwise happen on each TLS
// handshake.

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

/**
 * The TLS options of one client, made on first use and then shared: a context that speaks plain
 * HTTP to every service (the sandbox, except step-ca) never pays the ~60 ms of parsing the default
 * roots. The bundle file is read now, so an unreadable or PEM-less --ca-file is a usage error
 * before any request, and so is an mTLS key that does not match its certificate; a bundle
 * certificate OpenSSL cannot parse throws UsageError on the first HTTPS request, before that
 * connection is opened.
 */
export function buildTlsOptions(opts: HttpClientOptions, connectTimeoutMs: number): () => TlsConnectOptions {
  const bundles: string[] = [];
  if (opts.caFile !== undefined && opts.caFile !== '') bundles.push(readBundle(opts.caFile));
  if (opts.ca !== undefined && opts.ca !== '') bundles.push(opts.ca);
  const clientCert = opts.clientCert;
  if (clientCert !== undefined && (!clientCert.cert.includes('-----BEGIN') || !clientCert.key.includes('-----BEGIN'))) {
    throw new UsageError('the client certificate and key must be PEM text', {
      hint: 'read the files first; paths are not accepted here',
    });
  }
  const base: TlsConnectOptions = { timeout: connectTimeoutMs, rejectUnauthorized: opts.insecure !== true };
  if (bundles.length === 0 && clientCert === undefined) return () => base;
  // An mTLS client only talks HTTPS: its key pair is checked now.
  let built: TlsConnectOptions | undefined = clientCert === undefined ? undefined : { ...base, secureContext: secureContextOf(bundles, clientCert) };
  return () => (built ??= { ...base, secureContext: secureContextOf(bundles, clientCert) });
}

function secureContextOf(bundles: string[], clientCert: HttpClientOptions['clientCert']): tls.SecureContext {
  const ctx: tls.SecureContextOptions = {};
  if (bundles.length > 0) ctx.ca = trustedCertificates(bundles.join('\n'));
  if (clientCert !== undefined) {
    ctx.cert = clientCert.cert;
    ctx.key = clientCert.key;
  }
  try {
    return tls.createSecureContext(ctx);
  } catch (err) {
    throw new UsageError(`invalid TLS material: ${(err as Error).message}`, {
      hint: 'check the CA bundle and the client certificate/key (PEM, matching pair)',
      cause: err,
    });
  }
}

export const INSECURE_WARNING =
  'WARNING: TLS verification is disabled (--insecure): any server, or anyone between you and it, ' +
  'can impersonate the backend and read your credentials. Use --ca-file <pem> instead.';
