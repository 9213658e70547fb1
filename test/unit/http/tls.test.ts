import tls from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpClient } from '../../../src/http/client.js';
import { INSECURE_WARNING, trustedCertificates } from '../../../src/http/tls.js';
import type { HttpClient, HttpClientOptions } from '../../../src/http/types.js';
import { NetworkError, UsageError } from '../../../src/core/errors.js';
import { makePki, recordingSleep, startServer, type Loopback, type TestPki } from './helpers.js';

let pki: TestPki;
let server: Loopback;
const peers: (string | undefined)[] = [];

beforeAll(async () => {
  pki = makePki();
  server = await startServer(
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      peers.push(peer.subject === undefined ? undefined : String(peer.subject.CN));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    },
    // Asks for a client certificate but lets the handler see whether one came (mTLS assertions).
    { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: false },
  );
});

afterAll(async () => {
  await server.close();
  pki.cleanup();
});

const clients: HttpClient[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()?.close();
  peers.length = 0;
});

function client(opts: HttpClientOptions): HttpClient {
  const c = createHttpClient({ env: {}, ...opts });
  clients.push(c);
  return c;
}

describe('TLS trust', () => {
  it('verifies a private CA given as --ca-file', async () => {
    const c = client({ caFile: pki.caFile });
    const r = await c.request({ service: 'step-ca', method: 'GET', url: `${server.url}/health` });
    expect(r.json()).toEqual({ ok: true });
  });

  it('verifies a private CA given as PEM text, with host name "localhost"', async () => {
    const c = client({ ca: pki.caCert });
    const r = await c.request({ service: 'step-ca', method: 'GET', url: `https://localhost:${server.port}/health` });
    expect(r.status).toBe(200);
  });

  it('adds the bundle to the default roots instead of replacing them', () => {
    const trusted = trustedCertificates(pki.caCert);
    // Defaults = Node's bundled roots plus NODE_EXTRA_CA_CERTS when set (it is on some machines).
    const defaults = trustedCertificates('');
    expect(defaults.length).toBeGreaterThanOrEqual(tls.rootCertificates.length);
    expect(trusted.length).toBe(defaults.length + 1);
    expect(trusted).toEqual(expect.arrayContaining([...tls.rootCertificates]));
    expect(trusted.at(-1)?.trim()).toBe(pki.caCert.trim());
  });

  it('refuses an untrusted server with a --ca-file hint and does not retry', async () => {
    const { sleep, delays } = recordingSleep();
    const c = client({ sleep });
    const before = server.requests.length;
    const err = await c.request({ service: 'step-ca', method: 'GET', url: `${server.url}/health` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toMatch(/the server certificate is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/);
    expect((err as NetworkError).hint).toContain('--ca-file');
    expect(delays).toEqual([]);
    expect(server.requests.length).toBe(before);
  });

  it('skips verification with insecure and warns once per client', async () => {
    const warnings: string[] = [];
    const c = client({ insecure: true, warn: (l) => warnings.push(l) });
    await c.request({ service: 'hawkbit', method: 'GET', url: `${server.url}/a` });
    await c.request({ service: 'hawkbit', method: 'GET', url: `https://localhost:${server.port}/b` });
    expect(warnings).toEqual([INSECURE_WARNING]);
    expect(warnings[0]).toMatch(/^WARNING: TLS verification is disabled \(--insecure\)/);
  });

  it('does not warn when verification is on', async () => {
    const warnings: string[] = [];
    const c = client({ caFile: pki.caFile, warn: (l) => warnings.push(l) });
    await c.request({ service: 'hawkbit', method: 'GET', url: server.url });
    expect(warnings).toEqual([]);
  });
});

describe('mTLS', () => {
  it('presents the client certificate to the server', async () => {
    const c = client({ caFile: pki.caFile, clientCert: { cert: pki.clientCert, key: pki.clientKey } });
    await c.request({ service: 'bridge', method: 'GET', url: server.url });
    expect(peers).toEqual(['device-operator-1']);
  });

  it('presents none without one', async () => {
    const c = client({ caFile: pki.caFile });
    await c.request({ service: 'bridge', method: 'GET', url: server.url });
    expect(peers).toEqual([undefined]);
  });
});

describe('bad TLS material is a usage error before any request', () => {
  it('rejects an unreadable --ca-file', () => {
    expect(() => createHttpClient({ caFile: `${pki.dir}/missing.pem` })).toThrow(UsageError);
    expect(() => createHttpClient({ caFile: `${pki.dir}/missing.pem` })).toThrow(/cannot read CA bundle .*missing\.pem \(ENOENT\)/);
  });

  it('rejects a bundle without certificates', () => {
    expect(() => createHttpClient({ caFile: `${pki.dir}/server.ext` })).toThrow(/contains no PEM certificate/);
  });

  it('rejects client certificate paths instead of PEM text', () => {
    expect(() => createHttpClient({ clientCert: { cert: `${pki.dir}/client.crt`, key: `${pki.dir}/client.key` } })).toThrow(
      /must be PEM text/,
    );
  });

  it('rejects a key that does not match the certificate', () => {
    expect(() => createHttpClient({ clientCert: { cert: pki.clientCert, key: pki.serverKey } })).toThrow(UsageError);
  });
});

describe('the trust store is built when the first HTTPS origin needs it', () => {
  it('plain HTTP with a CA bundle parses no roots; HTTPS builds them once for all its requests', async () => {
    const plain = await startServer((_req, res) => res.end('{"ok":true}'));
    const built = vi.spyOn(tls, 'createSecureContext');
    try {
      const c = client({ caFile: pki.caFile });
      expect((await c.request({ service: 'bridge', method: 'GET', url: `${plain.url}/health` })).status).toBe(200);
      expect(built).not.toHaveBeenCalled();
      for (let i = 0; i < 2; i++) expect((await c.request({ service: 'step-ca', method: 'GET', url: `${server.url}/health` })).status).toBe(200);
      expect(built).toHaveBeenCalledTimes(1);
    } finally {
      built.mockRestore();
      await plain.close();
    }
  });
});
