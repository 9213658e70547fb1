// Emulator-only behaviour of the sandbox step-ca: what a real 0.19 cannot show here (the newer
// release's differences, the clock), persistence in the state dir, the tenant Sub-CA join via
// reload(), and the step-ca.log lines `cdm audit` reads.
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { decryptProvisionerKey } from '../../conformance/stepca-scenarios.js';
import { callCa, type CallOptions } from '../../helpers/stepca-client.js';
import { makeOtt, type PrivateJwk } from '../../helpers/stepca-ott.js';
import { inspectCert, makeCsr, signedBy } from '../../helpers/stepca-pki.js';
import { startEmulatorTarget, type EmulatorTarget } from '../../helpers/stepca-target.js';
import { createStepCaEmulator, type StepCaEmulatorOptions } from '../../../src/sandbox/stepca/index.js';
import { tempDir } from '../../helpers/temp.js';

const open: EmulatorTarget[] = [];
afterEach(async () => { while (open.length) await open.pop()!.close(); });

async function start(opts: Partial<StepCaEmulatorOptions> & { dir?: string } = {}) {
  const t = await startEmulatorTarget(opts);
  open.push(t);
  const call = (method: string, path: string, o?: CallOptions) => callCa(t.url, t.rootPem, method, path, o);
  const list = (await call('GET', '/provisioners')).json as { provisioners: Array<{ name: string; encryptedKey: string }> };
  const keys: Record<string, PrivateJwk> = {};
  for (const p of list.provisioners) keys[p.name] = await decryptProvisionerKey(p.encryptedKey, t.password);
  const ott = (name: string, subject: string, aud = '/1.0/sign', sans?: string[]) =>
    makeOtt({ jwk: keys[name]!, issuer: name, audience: t.url + aud, subject, ...(sans ? { sans } : {}) });
  const sign = async (cn: string, name = 'iot-bridge') => {
    const { csr, keyPem } = await makeCsr(cn);
    const r = await call('POST', '/1.0/sign', { body: { csr, ott: ott(name, cn) } });
    expect(r.status).toBe(201);
    return { ...(r.json as { crt: string; ca: string; certChain: string[] }), keyPem };
  };
  return { t, call, ott, sign, keys };
}

const serialOf = (pem: string): string => BigInt('0x' + new X509Certificate(pem).serialNumber).toString(10);

describe('step-ca emulator, newer-release mode (default 0.28)', () => {
  it('reports its version and serves /intermediates with 201', async () => {
    const { call, t } = await start();
    expect((await call('GET', '/version')).json).toEqual({ version: '0.28.0' });
    const r = await call('GET', '/1.0/intermediates');
    expect(r.status).toBe(201);
    expect((r.json as { crts: string[] }).crts).toEqual([readFileSync(join(t.dir, 'certs', 'intermediate_ca.crt'), 'utf8')]);
  });

  it('normalises serials to decimal, rejects malformed ones, and requires token sub == serial', async () => {
    const { call, ott } = await start();
    const hex = await call('POST', '/1.0/revoke', { body: { serial: '0xff', ott: ott('iot-bridge', '255', '/1.0/revoke'), passive: true } });
    expect([hex.status, hex.json]).toEqual([200, { status: 'ok' }]);
    const again = await call('POST', '/1.0/revoke', { body: { serial: '255', ott: ott('iot-bridge', '255', '/revoke'), passive: true } });
    expect(again.json).toEqual({ status: 400, message: "The request could not be completed: certificate with serial number '255' is already revoked." });
    const bad = await call('POST', '/1.0/revoke', { body: { serial: 'abc', ott: ott('iot-bridge', 'abc', '/1.0/revoke'), passive: true } });
    expect(bad.json).toEqual({ status: 400,
      message: "The request could not be completed: 'abc' is not a valid serial number - use a base 10 representation or a base 16 representation with '0x' prefix." });
    const other = await call('POST', '/1.0/revoke', { body: { serial: '42', ott: ott('iot-bridge', '43', '/1.0/revoke'), passive: true } });
    expect(other.json).toEqual({ status: 403,
      message: 'The request was forbidden by the certificate authority: request serial number "42" and token subject "43" do not match.' });
  });

  it('publishes revoked serials in /crl (DER by default, PEM with ?pem)', async () => {
    const { call, ott, sign } = await start();
    const a = await sign('crl-1.cdm.test');
    const serial = serialOf(a.crt);
    await call('POST', '/1.0/revoke', { body: { serial, ott: ott('iot-bridge', serial, '/1.0/revoke'), passive: true, reasonCode: 1 } });
    const pem = await call('GET', '/crl?pem');
    expect(pem.status).toBe(200);
    expect(pem.headers['content-type']).toBe('application/x-pem-file');
    const x509 = await import('@peculiar/x509');
    const crl = new x509.X509Crl(pem.text);
    expect(crl.entries.map((e) => [BigInt('0x' + e.serialNumber).toString(10), e.reason])).toEqual([[serial, 1]]);
    expect(await crl.verify({ publicKey: new x509.X509Certificate(a.ca).publicKey })).toBe(true);
    const der = await call('GET', '/1.0/crl');
    expect([der.status, der.headers['content-type'], der.headers['content-disposition']])
      .toEqual([200, 'application/pkix-crl', 'attachment; filename="crl.crl"']);
  });

  it('refuses to renew an expired certificate with 401 naming the expiry; 0.19 drops the connection', async () => {
    for (const version of ['0.28', '0.19'] as const) {
      let clock = Date.now();
      const { call, sign } = await start({ version, now: () => clock });
      const a = await sign(`expired-${version}.cdm.test`);
      clock += 25 * 3600_000;
      const req = call('POST', '/1.0/renew', { cert: a.crt, key: a.keyPem });
      if (version === '0.19') {
        await expect(req).rejects.toThrow();
      } else {
        const notAfter = new Date(new X509Certificate(a.crt).validTo);
        const when = notAfter.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' +0000 UTC');
        expect(await req).toMatchObject({ status: 401, json: {
          status: 401, message: `The request lacked necessary authorization to be completed: certificate expired on ${when}` } });
      }
    }
  });
});

describe('step-ca emulator state dir', () => {
  it('is laid out like a real step-ca and survives a restart: same CA, provisioners, used tokens, revocations', async () => {
    // An explicit dir: the target helper only deletes dirs it created itself.
    const dir = tempDir('cdm-stepca-persist-');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const first = await start({ version: '0.19', dir });
    for (const f of ['config/ca.json', 'certs/root_ca.crt', 'certs/intermediate_ca.crt', 'secrets/intermediate_ca_key', 'templates/service-leaf.tpl']) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    const caJson = JSON.parse(readFileSync(join(dir, 'config', 'ca.json'), 'utf8')) as { authority: { provisioners: Array<{ name: string; options: unknown }> } };
    expect(caJson.authority.provisioners.map((p) => p.name)).toEqual(['iot-bridge', 'tenant-sub-ca-signer']);
    const { csr } = await makeCsr('persist.cdm.test');
    const token = first.ott('iot-bridge', 'persist.cdm.test');
    expect((await first.call('POST', '/1.0/sign', { body: { csr, ott: token } })).status).toBe(201);
    const a = await first.sign('persist-2.cdm.test');
    const serial = serialOf(a.crt);
    await first.call('POST', '/1.0/revoke', { body: { serial, ott: first.ott('iot-bridge', serial, '/1.0/revoke'), passive: true } });
    const fp = first.t.rootFingerprint;
    await open.pop()!.close();

    const second = await start({ version: '0.19', dir });
    expect(second.t.rootFingerprint).toBe(fp);
    expect(second.keys['iot-bridge']).toEqual(first.keys['iot-bridge']);
    const reuse = await second.call('POST', '/1.0/sign', { body: { csr, ott: token } });
    expect(reuse.status).toBe(401);
    const renew = await second.call('POST', '/1.0/renew', { cert: a.crt, key: a.keyPem });
    expect(renew.status).toBe(401);
  });

  it('works in memory without a state dir', async () => {
    const emu = createStepCaEmulator({ dir: undefined, kind: 'tenant', publicUrl: 'https://127.0.0.1:9', provisionerPassword: 'pw' });
    expect(emu.rootFingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(emu.tls.requestCert).toBe(true);
    emu.reload(); // nothing on disk: keeps the in-memory CA
    await emu.close?.();
  });

  it('writes step-ca text log lines for issuance and revocation', async () => {
    const { t, call, ott, sign, keys } = await start({ version: '0.19' });
    const a = await sign('audit-1.cdm.test');
    const serial = serialOf(a.crt);
    await call('POST', '/1.0/revoke', { body: { serial, ott: ott('iot-bridge', serial, '/1.0/revoke'), passive: true, reasonCode: 4, reason: 'superseded' } });
    const lines = readFileSync(join(t.dir, 'step-ca.log'), 'utf8').trim().split('\n');
    const signLine = lines.find((l) => l.includes('path=/1.0/sign') && l.includes('status=201'))!;
    expect(signLine).toMatch(/^time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" level=info /);
    expect(signLine).toContain(`serial=${serial} `);
    expect(signLine).toContain('subject=audit-1.cdm.test ');
    expect(signLine).toContain(`provisioner="iot-bridge (${keys['iot-bridge']!.kid})"`);
    expect(signLine).toMatch(/ method=POST name=ca ott=\S+ path=\/1\.0\/sign protocol=HTTP\/1\.1 /);
    const keysInOrder = [...signLine.matchAll(/ ([a-z.-]+)=/gi)].map((m) => m[1]!);
    expect(keysInOrder.slice(1)).toEqual([...keysInOrder.slice(1)].sort());
    const revokeLine = lines.find((l) => l.includes('path=/1.0/revoke'))!;
    expect(revokeLine).toContain(`serial=${serial} `);
    expect(revokeLine).toContain('reason=superseded reasonCode=4 ');
    expect(revokeLine).toContain('mTLS=false ');
    expect(revokeLine).toContain('passiveOnly=true ');
    const healthy = await call('GET', '/nope');
    expect(healthy.status).toBe(404);
    expect(readFileSync(join(t.dir, 'step-ca.log'), 'utf8')).toMatch(/level=warning .*path=\/nope .*status=404/);
  });
});

describe('tenant step-ca: standalone, then joined with a Sub-CA from the provider', () => {
  it('reload() picks up the installed Sub-CA; device certificates chain to the provider root', async () => {
    const provider = await start({ kind: 'provider' });
    const tenant = await start({ kind: 'tenant', tenantId: 'acme' });
    expect(tenant.t.rootFingerprint).not.toBe(provider.t.rootFingerprint);
    expect(Object.keys(tenant.keys)).toEqual(['iot-bridge']);

    // The tenant's side of the join: its own Sub-CA key and CSR, signed at the provider.
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const x509 = await import('@peculiar/x509');
    const { webcrypto } = await import('node:crypto');
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    const priv = await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']);
    const jwk = privateKey.export({ format: 'jwk' });
    const pub = await webcrypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, alg, true, ['verify']);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=acme', keys: { privateKey: priv, publicKey: pub }, signingAlgorithm: alg });
    const signed = await provider.call('POST', '/1.0/sign', { body: { csr: csr.toString('pem'), ott: provider.ott('tenant-sub-ca-signer', 'acme', '/1.0/sign', ['acme']) } });
    expect(signed.status).toBe(201);
    const sub = signed.json as { crt: string; ca: string };

    // A key that does not match the certificate is refused and the old CA stays in place.
    writeFileSync(join(tenant.t.dir, 'certs', 'intermediate_ca.crt'), sub.crt + sub.ca);
    expect(() => tenant.t.emulator.reload()).toThrow(/does not match/);

    writeFileSync(join(tenant.t.dir, 'secrets', 'intermediate_ca_key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(tenant.t.dir, 'certs', 'root_ca.crt'), provider.t.rootPem);
    tenant.t.emulator.reload();
    expect(tenant.t.emulator.rootFingerprint()).toBe(provider.t.rootFingerprint);
    // The host restarts its listener with the new certificate (issued by the Sub-CA).
    tenant.t.server.setSecureContext({ key: tenant.t.emulator.tls.key, cert: tenant.t.emulator.tls.cert });

    const device = await makeCsr('dev-0001');
    const r = await callCa(tenant.t.url, provider.t.rootPem, 'POST', '/1.0/sign',
      { body: { csr: device.csr, ott: tenant.ott('iot-bridge', 'dev-0001') } });
    expect(r.status).toBe(201);
    const body = r.json as { crt: string; ca: string; certChain: string[] };
    expect(body.certChain).toEqual([body.crt, sub.crt, sub.ca]);
    expect(await signedBy(body.crt, sub.crt)).toBe(true);
    expect(await signedBy(sub.crt, sub.ca)).toBe(true);
    expect(await signedBy(sub.ca, provider.t.rootPem)).toBe(true);
    const c = inspectCert(body.crt);
    expect([c.extKeyUsage, c.keyUsage, c.subject]).toEqual([['1.3.6.1.5.5.7.3.2'], ['digitalSignature'], 'O=CDM IoT Platform, OU=Devices, CN=dev-0001']);
  });
});
