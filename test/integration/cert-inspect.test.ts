// `cdm cert inspect` is offline: it needs no context and opens no socket, whatever the input.
import { webcrypto } from 'node:crypto';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/main.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempConfigEnv } from '../helpers/run-cli.js';
import { x509 } from '../../src/pki/x509-lib.js';
import { makePki, type TestPki } from '../unit/pki/fixtures.js';

let pki: TestPki;
let connects = 0;
const original = net.Socket.prototype.connect;

beforeAll(async () => { pki = await makePki(); });
beforeEach(() => {
  connects = 0;
  // Every TCP/TLS client connection (undici, https, net) goes through Socket#connect.
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    connects++;
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
});
afterEach(() => { net.Socket.prototype.connect = original; });

describe('cdm cert inspect (offline)', () => {
  it('a chain file with a context configured: every certificate, as data with its PEM, and no connection', async () => {
    const env = tempConfigEnv();
    // A context whose step-ca would be contacted if inspect ever went online.
    expect((await runCli(['context', 'add', 'remote', '--kind', 'tenant', '--tenant', 'acme', '--stepca-url', 'https://192.0.2.1:9000', '--use'], { env })).code).toBe(0);
    const file = join(env.HOME!, 'chain.pem');
    writeFileSync(file, pki.leafPem + pki.intermediatePem);
    const res = await runCli(['cert', 'inspect', file, '-o', 'json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const doc = res.json();
    expect(doc.kind).toBe('CertificateList');
    expect(doc.items.map((c: any) => c.commonName)).toEqual(['dev-0001', 'Test Intermediate CA']);
    expect(doc.items[0].pem).toBe(pki.leafPem);
    expect(connects).toBe(0);
  });

  it('DER on stdin, no context at all, human table', async () => {
    // Binary stdin: runCli's stdin is text, so the CLI is driven directly with the bytes.
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => { out += c.toString(); });
    stderr.resume();
    const stdin = Object.assign(Readable.from([pki.leafDer]), { isTTY: false });
    const code = await main(['cert', 'inspect', '-'], { io: { stdin, stdout, stderr, env: tempConfigEnv() } });
    const res = { code, stdout: out };
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Subject\s+CN=dev-0001, O=CDM IoT Platform/);
    expect(res.stdout).toMatch(/Ext key usage\s+clientAuth/);
    expect(connects).toBe(0);
  });

  it('names SANs as openssl does: a URI SAN shows as URI', async () => {
    const env = tempConfigEnv();
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await webcrypto.subtle.generateKey(alg, false, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=svc', keys, signingAlgorithm: alg, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 3_600_000),
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'url', value: 'spiffe://acme/web' }, { type: 'email', value: 'ops@acme.example' }])],
    });
    const file = join(env.HOME!, 'uri.pem');
    writeFileSync(file, cert.toString('pem'));
    const res = await runCli(['cert', 'inspect', file], { env, tty: true });
    expect(res.stdout).toMatch(/^SANs: +URI:spiffe:\/\/acme\/web, EMAIL:ops@acme\.example$/m);
  });

  it('on a terminal, a CA certificate shows no empty SANs or extended key usage rows; the leaf shows them', async () => {
    const env = tempConfigEnv();
    const file = join(env.HOME!, 'chain-tty.pem');
    writeFileSync(file, pki.leafPem + pki.intermediatePem);
    const res = await runCli(['cert', 'inspect', file], { env, tty: true });
    expect(res.code, res.stderr).toBe(0);
    const [leaf, ca] = res.stdout.split('\n\n');
    expect(leaf).toMatch(/^SANs: +DNS:dev-0001/m);
    expect(leaf).toMatch(/^Ext key usage: +clientAuth$/m);
    expect(ca).toMatch(/^CA: +yes/m);
    expect(ca).not.toMatch(/^(SANs|Ext key usage):/m);
  });

  it('a CSR as one object of kind CertificateRequest', async () => {
    const env = tempConfigEnv();
    const file = join(env.HOME!, 'dev.csr');
    writeFileSync(file, pki.csrPem);
    const res = await runCli(['cert', 'inspect', file, '-o', 'json'], { env });
    expect(res.json()).toMatchObject({ kind: 'CertificateRequest', type: 'csr', commonName: 'dev-csr', signatureValid: true });
    expect(connects).toBe(0);
  });

  it('bad input is exit 2', async () => {
    expect((await runCli(['cert', 'inspect', '/nonexistent/file.pem'])).code).toBe(2);
    expect((await runCli(['cert', 'inspect', '-'], { stdin: 'not a certificate' })).code).toBe(2);
  });
});
