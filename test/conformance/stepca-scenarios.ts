// The step-ca API scenarios, one list run against every target (emulator and real step-ca).
// Each asserts what a real step-ca 0.19 answers: status codes, JSON shapes and message texts.
import { X509Certificate } from 'node:crypto';
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import { beforeAll, expect, it } from 'vitest';
import { callCa, type CallOptions } from '../helpers/stepca-client.js';
import { makeOtt, type OttInput, type PrivateJwk } from '../helpers/stepca-ott.js';
import { inspectCert, makeCsr, signedBy } from '../helpers/stepca-pki.js';
import type { StepCaTarget } from '../helpers/stepca-target.js';

const UNAUTHORIZED = 'The request lacked necessary authorization to be completed. Please see the certificate authority logs for more info.';
const NOT_FOUND = 'The requested resource could not be found. Please see the certificate authority logs for more info.';
const NOT_IMPLEMENTED = 'The requested method is not implemented by the certificate authority. Please see the certificate authority logs for more info.';
const EKU_SERVER = '1.3.6.1.5.5.7.3.1';
const EKU_CLIENT = '1.3.6.1.5.5.7.3.2';

interface Provisioner { type: string; name: string; key: { kid: string; x: string; y: string; crv: string }; encryptedKey?: string }
interface SignBody { crt: string; ca: string; certChain: string[]; tlsOptions?: Record<string, unknown> }

export async function decryptProvisionerKey(jwe: string, password: string): Promise<PrivateJwk> {
  // jose refuses PBES2 unless allowed explicitly, and caps p2c at 10000 by default; step uses 100000.
  const { plaintext } = await compactDecrypt(jwe, new TextEncoder().encode(password),
    { keyManagementAlgorithms: ['PBES2-HS256+A128KW'], maxPBES2Count: 1_000_000 });
  return JSON.parse(new TextDecoder().decode(plaintext)) as PrivateJwk;
}

export function defineStepCaScenarios(getTarget: () => StepCaTarget): void {
  let t: StepCaTarget;
  const keys: Record<string, PrivateJwk> = {};
  const call = (method: string, path: string, o?: CallOptions) => callCa(t.url, t.rootPem, method, path, o);
  const ott = (name: string, o: Partial<OttInput> & { subject: string }): string =>
    makeOtt({ jwk: keys[name]!, issuer: name, audience: `${t.url}/1.0/sign`, sha: t.rootFingerprint, ...o });
  const revokeOtt = (serial: string, o: Partial<OttInput> = {}): string =>
    ott('iot-bridge', { subject: serial, audience: `${t.url}/1.0/revoke`, ...o });
  async function issue(cn: string, provisioner = 'iot-bridge'): Promise<SignBody & { keyPem: string }> {
    const { csr, keyPem } = await makeCsr(cn, [{ type: 'dns', value: cn }]);
    const r = await call('POST', '/1.0/sign', { body: { csr, ott: ott(provisioner, { subject: cn, sans: [cn] }) } });
    expect(r.status).toBe(201);
    return { ...(r.json as SignBody), keyPem };
  }
  const serialOf = (pem: string): string => BigInt('0x' + new X509Certificate(pem).serialNumber).toString(10);

  beforeAll(async () => {
    t = getTarget();
    const list = (await call('GET', '/provisioners?limit=100')).json as { provisioners: Provisioner[] };
    for (const p of list.provisioners) keys[p.name] = await decryptProvisionerKey(p.encryptedKey!, t.password);
  });

  it('health answers on both mounts', async () => {
    for (const path of ['/health', '/1.0/health']) {
      const r = await call('GET', path);
      expect([r.status, r.json]).toEqual([200, { status: 'ok' }]);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.text.endsWith('\n')).toBe(true);
    }
  });

  it('version reports 0.19.0', async () => {
    const r = await call('GET', '/version');
    expect([r.status, r.json]).toEqual([200, { version: '0.19.0' }]);
  });

  it('roots answers 201 with the pinned root; /root/{sha} finds it, unknown sha is 404', async () => {
    const roots = await call('GET', '/roots');
    expect(roots.status).toBe(201);
    const crts = (roots.json as { crts: string[] }).crts;
    expect(crts.map((c) => new X509Certificate(c).fingerprint256.replace(/:/g, '').toLowerCase())).toEqual([t.rootFingerprint]);
    const dashed = t.rootFingerprint.toUpperCase().replace(/(.{8})(?=.)/g, '$1-');
    const one = await call('GET', `/root/${dashed}`);
    expect(one.status).toBe(200);
    expect((one.json as { ca: string }).ca).toBe(crts[0]);
    const none = await call('GET', `/1.0/root/${'ab'.repeat(32)}`);
    expect([none.status, none.json]).toEqual([404, { status: 404, message: NOT_FOUND }]);
  });

  it('provisioners page with cursor/limit and nextCursor', async () => {
    const all = (await call('GET', '/provisioners')).json as { provisioners: Provisioner[]; nextCursor: string };
    expect(all.provisioners.map((p) => [p.type, p.name])).toEqual([['JWK', 'iot-bridge'], ['JWK', 'tenant-sub-ca-signer']]);
    expect(all.nextCursor).toBe('');
    const first = (await call('GET', '/provisioners?limit=1')).json as { provisioners: Provisioner[]; nextCursor: string };
    expect(first.provisioners.map((p) => p.name)).toEqual(['iot-bridge']);
    expect(first.nextCursor).toMatch(/^1[0-9a-f]{32}$/);
    const second = (await call('GET', `/1.0/provisioners?limit=1&cursor=${first.nextCursor}`)).json as { provisioners: Provisioner[]; nextCursor: string };
    expect([second.provisioners.map((p) => p.name), second.nextCursor]).toEqual([['tenant-sub-ca-signer'], '']);
    const bad = await call('GET', '/provisioners?limit=abc');
    expect([bad.status, bad.json]).toEqual([400, { status: 400, message: "The request could not be completed: limit 'abc' is not an integer." }]);
  });

  it('encrypted-key is a PBES2 JWE that decrypts with the password to the provisioner key', async () => {
    const list = (await call('GET', '/provisioners')).json as { provisioners: Provisioner[] };
    const p = list.provisioners[0]!;
    const r = await call('GET', `/provisioners/${p.key.kid}/encrypted-key`);
    expect(r.status).toBe(200);
    const jwe = (r.json as { key: string }).key;
    expect(jwe).toBe(p.encryptedKey);
    expect(decodeProtectedHeader(jwe)).toMatchObject({ alg: 'PBES2-HS256+A128KW', enc: 'A256GCM', p2c: 100000 });
    const priv = await decryptProvisionerKey(jwe, t.password);
    expect([priv.kid, priv.x, priv.y]).toEqual([p.key.kid, p.key.x, p.key.y]);
    await expect(decryptProvisionerKey(jwe, 'wrong-password')).rejects.toThrow();
    const none = await call('GET', '/provisioners/no-such-kid/encrypted-key');
    expect([none.status, none.json]).toEqual([404, { status: 404, message: NOT_FOUND }]);
  });

  it('signs a service certificate: response shape, chain, template extensions, SANs', async () => {
    const cn = 'svc-1.cdm.test';
    const { csr } = await makeCsr(cn, [{ type: 'dns', value: cn }, { type: 'ip', value: '10.20.0.7' }]);
    const r = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: cn, sans: [cn, '10.20.0.7'] }) } });
    expect(r.status).toBe(201);
    const body = r.json as SignBody;
    expect(Object.keys(body).sort()).toEqual(['ca', 'certChain', 'crt', 'tlsOptions']);
    expect(body.certChain).toEqual([body.crt, body.ca]);
    expect(body.tlsOptions).toEqual({ cipherSuites: expect.any(Array), minVersion: 1.2, maxVersion: 1.3, renegotiation: false });
    expect(await signedBy(body.crt, body.ca)).toBe(true);
    expect(await signedBy(body.ca, t.rootPem)).toBe(true);
    const c = inspectCert(body.crt);
    expect(c.commonName).toBe(cn);
    expect(c.subject).toContain('O=CDM IoT Platform');
    expect(c.subject).toContain('OU=Services');
    expect(c.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(c.extKeyUsage).toEqual([EKU_SERVER, EKU_CLIENT]);
    expect(c.isCA).toBe(false);
    expect(c.sans).toEqual([{ type: 'dns', value: cn }, { type: 'ip', value: '10.20.0.7' }]);
    expect(c.hasStepProvisionerExt).toBe(true);
    // Default duration 24 h, notBefore backdated by one minute.
    expect(c.notAfter.getTime() - c.notBefore.getTime()).toBe(24 * 3600_000 + 60_000);
    expect(c.serialDecimal.length).toBeGreaterThan(30);
  });

  it('signs a tenant Sub-CA with tenant-sub-ca-signer: CA:true, pathlen 0, certSign/crlSign, no SANs', async () => {
    const { csr } = await makeCsr('tenant-acme');
    const r = await call('POST', '/sign', { body: { csr, ott: ott('tenant-sub-ca-signer', { subject: 'tenant-acme', sans: ['tenant-acme'] }) } });
    expect(r.status).toBe(201);
    const c = inspectCert((r.json as SignBody).crt);
    expect([c.subject, c.isCA, c.pathLength]).toEqual(['CN=tenant-acme', true, 0]);
    expect(c.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect([c.extKeyUsage, c.sans]).toEqual([[], []]);
  });

  it('accepts the audience forms: /sign, legacy, port-less, aud array; SANs default to [sub]', async () => {
    const host = new URL(t.url).hostname;
    const auds: Array<string | string[]> = [`${t.url}/sign`, 'step-certificate-authority', `https://${host}/1.0/sign`,
      `https://localhost:1/sign`, ['https://elsewhere.example/sign', `${t.url}/1.0/sign`]];
    for (const [i, audience] of auds.entries()) {
      const cn = `aud-${i}.cdm.test`;
      const { csr } = await makeCsr(cn);
      const r = await call('POST', '/sign', { body: { csr, ott: ott('iot-bridge', { subject: cn, audience }) } });
      expect(r.status).toBe(201);
      expect(inspectCert((r.json as SignBody).crt).sans).toEqual([{ type: 'dns', value: cn }]);
    }
  });

  it('token time checks use one minute of leeway; a token from before the CA started is refused', async () => {
    const { csr } = await makeCsr('leeway.cdm.test');
    const ok = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: 'leeway.cdm.test', ttl: -30 }) } });
    expect(ok.status).toBe(201);
    const expired = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: 'leeway.cdm.test', ttl: -120 }) } });
    expect([expired.status, expired.json]).toEqual([401, { status: 401, message: UNAUTHORIZED }]);
    const future = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: 'leeway.cdm.test', claims: { nbf: Math.floor(Date.now() / 1000) + 600 } }) } });
    expect(future.status).toBe(401);
    const old = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: 'leeway.cdm.test', claims: { iat: 1000 } }) } });
    expect(old.status).toBe(401);
  });

  it('refuses tokens: bad signature, wrong audience, unknown provisioner, reused jti', async () => {
    const cn = 'refuse.cdm.test';
    const { csr } = await makeCsr(cn);
    const other = keys['tenant-sub-ca-signer']!;
    const forged = makeOtt({ jwk: { ...other, kid: keys['iot-bridge']!.kid }, issuer: 'iot-bridge', audience: `${t.url}/1.0/sign`, subject: cn });
    const cases = [
      forged,
      ott('iot-bridge', { subject: cn, audience: `${t.url}/1.0/revoke` }),
      ott('iot-bridge', { subject: cn, audience: 'https://ca.elsewhere.example/1.0/sign' }),
      ott('iot-bridge', { subject: cn, issuer: 'no-such-provisioner' }),
      ott('iot-bridge', { subject: cn, header: { kid: 'no-such-kid' } }),
      'not-a-jwt',
    ];
    for (const token of cases) {
      const r = await call('POST', '/1.0/sign', { body: { csr, ott: token } });
      expect([r.status, r.json]).toEqual([401, { status: 401, message: UNAUTHORIZED }]);
    }
    const once = ott('iot-bridge', { subject: cn });
    expect((await call('POST', '/1.0/sign', { body: { csr, ott: once } })).status).toBe(201);
    const again = await call('POST', '/1.0/sign', { body: { csr, ott: once } });
    expect([again.status, again.json]).toEqual([401, { status: 401, message: UNAUTHORIZED }]);
  });

  it('a token refused for its audience is still used up (jti stored before the checks)', async () => {
    const { csr } = await makeCsr('burn.cdm.test');
    const token = ott('iot-bridge', { subject: '77', audience: `${t.url}/1.0/sign` });
    expect((await call('POST', '/1.0/revoke', { body: { serial: '77', ott: token, passive: true } })).status).toBe(401);
    expect((await call('POST', '/1.0/sign', { body: { csr, ott: token } })).status).toBe(401);
  });

  it('refuses CN != sub and SAN mismatches with 403 and the exact reason', async () => {
    const { csr } = await makeCsr('dev-1.cdm.test');
    const cnMismatch = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: 'other.cdm.test' }) } });
    expect([cnMismatch.status, cnMismatch.json]).toEqual([403, { status: 403,
      message: 'The request was forbidden by the certificate authority: certificate request does not contain the valid common name - got dev-1.cdm.test, want other.cdm.test.' }]);
    const dns = await makeCsr('dev-2.cdm.test', [{ type: 'dns', value: 'dev-2.cdm.test' }, { type: 'dns', value: 'evil.cdm.test' }]);
    const dnsMismatch = await call('POST', '/1.0/sign', { body: { csr: dns.csr, ott: ott('iot-bridge', { subject: 'dev-2.cdm.test', sans: ['dev-2.cdm.test'] }) } });
    expect([dnsMismatch.status, dnsMismatch.json]).toEqual([403, { status: 403,
      message: 'The request was forbidden by the certificate authority: certificate request does not contain the valid DNS names - got [dev-2.cdm.test evil.cdm.test], want [dev-2.cdm.test].' }]);
    const ip = await makeCsr('dev-3.cdm.test', [{ type: 'ip', value: '10.0.0.9' }]);
    const ipMismatch = await call('POST', '/1.0/sign', { body: { csr: ip.csr, ott: ott('iot-bridge', { subject: 'dev-3.cdm.test', sans: ['dev-3.cdm.test', '10.0.0.1'] }) } });
    expect([ipMismatch.status, ipMismatch.json]).toEqual([403, { status: 403,
      message: 'The request was forbidden by the certificate authority: certificate request does not contain the valid IP addresses - got [10.0.0.9], want [10.0.0.1].' }]);
  });

  it('enforces the provisioner duration bounds (notAfter)', async () => {
    const { csr } = await makeCsr('dur.cdm.test');
    const long = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: 'dur.cdm.test' }), notAfter: '9000h' } });
    expect([long.status, long.json]).toEqual([403, { status: 403,
      message: 'The request was forbidden by the certificate authority: requested duration of 9000h1m0s is more than the authorized maximum certificate duration of 8760h1m0s.' }]);
    const short = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: 'dur.cdm.test' }), notAfter: '1m' } });
    expect([short.status, short.json]).toEqual([403, { status: 403,
      message: 'The request was forbidden by the certificate authority: requested duration of 2m0s is less than the authorized minimum certificate duration of 5m0s.' }]);
    const year = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: 'dur.cdm.test' }), notAfter: '8760h' } });
    expect(year.status).toBe(201);
  });

  it('takes notAfter as an RFC 3339 time with a zone, to the second', async () => {
    const { csr } = await makeCsr('until.cdm.test');
    const at = Math.floor(Date.now() / 1000) * 1000 + 2 * 3600_000;
    // The same instant written in UTC+01:00.
    const local = `${new Date(at + 3600_000).toISOString().slice(0, 19)}+01:00`;
    const r = await call('POST', '/1.0/sign', { body: { csr, ott: ott('iot-bridge', { subject: 'until.cdm.test' }), notAfter: local } });
    expect(r.status).toBe(201);
    expect(inspectCert((r.json as { crt: string }).crt).notAfter.getTime()).toBe(at);
  });

  it('rejects malformed sign requests with 400', async () => {
    const { csr } = await makeCsr('bad.cdm.test');
    const cases: Array<[CallOptions, string]> = [
      [{ rawBody: '{nope' }, 'error decoding json'],
      [{ body: {} }, 'missing csr'],
      [{ body: { csr } }, 'missing ott'],
      [{ body: { csr: 'garbage', ott: 'x' } }, 'error decoding json'],
      [{ body: { csr, ott: 'x', notAfter: 'soon' } }, 'error decoding json'],
      // Go's RFC 3339 parser: a zone is required, T and Z are upper-case, the date must exist.
      [{ body: { csr, ott: 'x', notAfter: '2030-01-01T10:00:00' } }, 'error decoding json'],
      [{ body: { csr, ott: 'x', notAfter: '2030-01-01t10:00:00z' } }, 'error decoding json'],
      [{ body: { csr, ott: 'x', notAfter: '2030-02-30T10:00:00Z' } }, 'error decoding json'],
      [{ body: { csr, ott: 'x', notAfter: '2030-01-01T10:00Z' } }, 'error decoding json'],
    ];
    for (const [o, msg] of cases) {
      const r = await call('POST', '/1.0/sign', o);
      expect([r.status, r.json]).toEqual([400, { status: 400, message: `The request could not be completed: ${msg}.` }]);
    }
  });

  it('renews over mTLS with a new serial and the same subject; without a client certificate 400', async () => {
    const a = await issue('renew-1.cdm.test');
    const r = await call('POST', '/1.0/renew', { cert: a.crt + a.ca, key: a.keyPem });
    expect(r.status).toBe(201);
    const renewed = r.json as SignBody;
    expect(renewed.certChain).toEqual([renewed.crt, renewed.ca]);
    const [before, after] = [inspectCert(a.crt), inspectCert(renewed.crt)];
    expect(after.serialDecimal).not.toBe(before.serialDecimal);
    expect([after.subject, after.sans, after.extKeyUsage]).toEqual([before.subject, before.sans, before.extKeyUsage]);
    expect(after.notAfter.getTime() - after.notBefore.getTime()).toBe(before.notAfter.getTime() - before.notBefore.getTime());
    const leafOnly = await call('POST', '/renew', { cert: a.crt, key: a.keyPem });
    expect(leafOnly.status).toBe(201);
    const none = await call('POST', '/1.0/renew');
    expect([none.status, none.json]).toEqual([400, { status: 400, message: 'The request could not be completed: missing client certificate.' }]);
  });

  it('a client certificate the CA did not issue fails the TLS handshake', async () => {
    const x509 = await import('@peculiar/x509');
    const { webcrypto } = await import('node:crypto');
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']) as CryptoKeyPair;
    const foreign = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=foreign', keys, signingAlgorithm: alg,
      notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 3600_000) });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
    await expect(call('POST', '/1.0/renew', { cert: foreign.toString('pem'), key: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n` }))
      .rejects.toThrow();
  });

  it('revokes passively by token; renewal of the revoked certificate is refused; revoking twice is 400', async () => {
    const a = await issue('revoke-1.cdm.test');
    const serial = serialOf(a.crt);
    const r = await call('POST', '/1.0/revoke', { body: { serial, ott: revokeOtt(serial), passive: true, reasonCode: 1, reason: 'key compromise' } });
    expect([r.status, r.json]).toEqual([200, { status: 'ok' }]);
    const renew = await call('POST', '/1.0/renew', { cert: a.crt + a.ca, key: a.keyPem });
    expect([renew.status, renew.json]).toEqual([401, { status: 401, message: UNAUTHORIZED }]);
    const twice = await call('POST', '/revoke', { body: { serial, ott: revokeOtt(serial), passive: true } });
    expect([twice.status, twice.json]).toEqual([400, { status: 400,
      message: `The request could not be completed: certificate with serial number '${serial}' is already revoked.` }]);
  });

  it('revokes over mTLS with the certificate itself; a different serial is 400', async () => {
    const a = await issue('revoke-2.cdm.test');
    const serial = serialOf(a.crt);
    const tls = { cert: a.crt + a.ca, key: a.keyPem };
    const mismatch = await call('POST', '/1.0/revoke', { ...tls, body: { serial: '123', passive: true } });
    expect([mismatch.status, mismatch.json]).toEqual([400, { status: 400,
      message: 'The request could not be completed: serial number in client certificate different than body.' }]);
    const ok = await call('POST', '/1.0/revoke', { ...tls, body: { serial, passive: true, reasonCode: 4 } });
    expect([ok.status, ok.json]).toEqual([200, { status: 'ok' }]);
  });

  it('refuses revocations: passive:false 501, reasonCode out of bounds, missing serial, no authorisation, revoke token with a sign audience', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ serial: '5', passive: false }, 501, NOT_IMPLEMENTED],
      [{ serial: '5', passive: true, reasonCode: 11 }, 400, 'The request could not be completed: reasonCode out of bounds.'],
      [{ serial: '5', passive: true, reasonCode: -1 }, 400, 'The request could not be completed: reasonCode out of bounds.'],
      [{ serial: '5', passive: false, reasonCode: 11 }, 400, 'The request could not be completed: reasonCode out of bounds.'],
      [{ passive: true }, 400, 'The request could not be completed: missing serial.'],
      [{ serial: '5', passive: true }, 400, 'The request could not be completed: missing ott or client certificate.'],
      [{ serial: 5, passive: true }, 400, 'The request could not be completed: error decoding json.'],
      [{ serial: '5', passive: true, ott: ott('iot-bridge', { subject: '5' }) }, 401, UNAUTHORIZED],
    ];
    for (const [body, status, message] of cases) {
      const r = await call('POST', '/1.0/revoke', { body });
      expect([r.status, r.json]).toEqual([status, { status, message }]);
    }
  });

  it('0.19 revocation: serial stored as sent, token subject not compared with it', async () => {
    const r = await call('POST', '/1.0/revoke', { body: { serial: '12345', ott: revokeOtt('something-else'), passive: true } });
    expect([r.status, r.json]).toEqual([200, { status: 'ok' }]);
  });

  it('unknown routes are plain-text 404, wrong methods 405, and 0.19 has no /crl', async () => {
    for (const path of ['/nope', '/crl', '/1.0/crl', '/intermediates']) {
      const r = await call('GET', path);
      expect([r.status, r.text]).toEqual([404, '404 page not found\n']);
    }
    const wrong = await call('GET', '/1.0/sign');
    expect([wrong.status, wrong.text]).toEqual([405, '']);
  });
}
