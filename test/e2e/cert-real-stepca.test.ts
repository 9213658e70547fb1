// `cdm cert` against a REAL step-ca 0.19 (built from Debian's sources by
// scripts/real-servers/stepca-build.sh, initialised by stepca-init.mjs), through the built
// binary as a user runs it: context + credential set up with cdm itself, then root, issue,
// verify, renew over mTLS, revoke (twice → exit 5), renewal refused, no CRL in 0.19, and a wrong
// provisioner password that never reaches /sign. Without the binary this suite is skipped only
// off CI; with CI set it fails naming the build script.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSING_BINARY_MESSAGE, startRealTarget, STEP_CA_BIN, type StepCaTarget } from '../helpers/stepca-target.js';
import { tempDir } from '../helpers/temp.js';
import { makePki } from '../unit/pki/fixtures.js';

const BIN = join(import.meta.dirname, '../../bin/cdm.js');
const home = tempDir('cdm-e2e-cert-');
const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, CDM_CONFIG_DIR: join(home, 'config'), CDM_STATE_DIR: join(home, 'state'), CI: '1' };
delete env.CDM_CONTEXT;

function cdm(args: string[], stdin?: string): { code: number | null; stdout: string; stderr: string; json(): any } {
  const res = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 30_000, ...(stdin !== undefined ? { input: stdin } : {}) });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, json: () => JSON.parse(res.stdout) };
}

const present = existsSync(STEP_CA_BIN);

describe.skipIf(!present && !process.env.CI)('cdm cert against real step-ca 0.19', () => {
  let ca: StepCaTarget | undefined;
  const target = (): StepCaTarget => {
    if (!ca) throw new Error('real step-ca did not start');
    return ca;
  };
  /** The real CA's request log: one logrus line per request. */
  const requests = (path: string): number =>
    readFileSync(join(target().dir, 'step-ca.log'), 'utf8').split('\n').filter((l) => l.includes(`path=${path} `)).length;

  beforeAll(async () => {
    if (!present) throw new Error(MISSING_BINARY_MESSAGE);
    if (!existsSync(join(import.meta.dirname, '../../dist/cdm.js'))) throw new Error('dist/ missing: run npm run build');
    ca = await startRealTarget('tenant');
    const add = cdm(['context', 'add', 'real', '--kind', 'tenant', '--tenant', 'acme', '--stepca-url', ca.url,
      '--stepca-fingerprint', ca.rootFingerprint, '--stepca-provisioner', 'iot-bridge', '--ca-bundle', join(ca.dir, 'certs', 'root_ca.crt'), '--use']);
    expect(add.code, add.stderr).toBe(0);
    const cred = cdm(['auth', 'set-credential', 'stepca', '--username', 'iot-bridge'], ca.password);
    expect(cred.code, cred.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => { await ca?.close(); }, 30_000);

  it('root: the pinned root, fingerprint checked', () => {
    const res = cdm(['cert', 'root', '-o', 'json']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toMatchObject({ kind: 'Root', fingerprintSha256: target().rootFingerprint, verifiedBy: 'fingerprint' });
    expect(res.json().pem).toBe(target().rootPem);
  });

  it('root --fingerprint bootstraps a context that has neither pin nor CA bundle', () => {
    expect(cdm(['context', 'add', 'bare', '--kind', 'tenant', '--tenant', 'acme', '--stepca-url', target().url]).code).toBe(0);
    const res = cdm(['cert', 'root', '--fingerprint', target().rootFingerprint, '--context', 'bare', '-o', 'json']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.json().pinned).toMatchObject({ context: 'bare', fingerprint: target().rootFingerprint });
    expect(readFileSync(res.json().pinned.caFile, 'utf8')).toBe(target().rootPem);
  });

  it('issue → verify → renew (mTLS) → revoke → renewal refused → revoke twice (exit 5)', () => {
    const key = join(home, 'dev.key');
    const crt = join(home, 'dev.crt');
    const issued = cdm(['cert', 'issue', 'device-0001.acme.example', '--san', '10.20.0.7', '--key-out', key, '--out', crt, '--not-after', '2h', '-o', 'json']);
    expect(issued.code, issued.stderr).toBe(0);
    const cert = issued.json();
    expect(cert).toMatchObject({ kind: 'Certificate', commonName: 'device-0001.acme.example', provisioner: 'iot-bridge', extKeyUsage: ['clientAuth'] });
    expect(cert.sans).toEqual(expect.arrayContaining([{ type: 'dns', value: 'device-0001.acme.example' }, { type: 'ip', value: '10.20.0.7' }]));
    expect(statSync(key).mode & 0o777).toBe(0o600);

    const verified = cdm(['cert', 'verify', crt, '-o', 'json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json().root.fingerprintSha256).toBe(target().rootFingerprint);

    const renewed = cdm(['cert', 'renew', crt, key, '-o', 'json']);
    expect(renewed.code, renewed.stderr).toBe(0);
    const next = renewed.json();
    expect(next.previousSerial).toBe(cert.serial);
    expect(next.serial).not.toBe(cert.serial);
    expect(requests('/renew')).toBeGreaterThan(0);

    const revoked = cdm(['cert', 'revoke', next.serial, '--reason', 'superseded', '--comment', 'e2e', '--confirm', next.serial, '-o', 'json']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json()).toMatchObject({ serial: next.serial, reasonCode: 4, passive: true });
    expect(revoked.stderr).toContain('PASSIVE');

    const refused = cdm(['cert', 'renew', crt, key]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/lacked necessary authorization/);
    expect(refused.stderr).toContain(`hint: cdm revoked serial ${next.serial} at `);

    const twice = cdm(['cert', 'revoke', '--cert', crt, '--reason', 'keyCompromise', '--confirm', next.serial, '-o', 'json']);
    expect(twice.code).toBe(5);
    expect(JSON.parse(twice.stderr).error).toMatchObject({ code: 'conflict', service: 'step-ca', status: 400 });
    expect(JSON.parse(twice.stderr).error.message).toContain('is already revoked');
  });

  it('revoke --cert checks the issuer first: 0.19 serves no /intermediates, its TLS chain does (a leaf alone is placed; a foreign one is refused, exit 2)', async () => {
    const key = join(home, 'alone.key');
    const full = join(home, 'alone-chain.crt');
    const issued = cdm(['cert', 'issue', 'device-0004.acme.example', '--key-out', key, '--out', full, '-o', 'json']);
    expect(issued.code, issued.stderr).toBe(0);
    const alone = join(home, 'alone.crt');
    writeFileSync(alone, readFileSync(full, 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)[0]!);
    const revokesBefore = requests('/revoke');
    const foreign = join(home, 'foreign.crt');
    writeFileSync(foreign, (await makePki()).foreignPem);
    const serial = cdm(['cert', 'inspect', foreign, '-o', 'json']).json().serial as string;
    const refused = cdm(['cert', 'revoke', '--cert', foreign, '--reason', 'keyCompromise', '--confirm', serial]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('was not issued by the step-ca of context "real"');
    expect(requests('/revoke')).toBe(revokesBefore);
    const placed = cdm(['cert', 'revoke', '--cert', alone, '--reason', 'superseded', '--confirm', issued.json().serial]);
    expect(placed.code, placed.stderr).toBe(0);
    expect(placed.stderr).not.toContain('could not check');
    expect(requests('/revoke')).toBe(revokesBefore + 1);
  });

  it('a validity beyond the provisioner\'s maximum is the CA\'s policy refusal: exit 5 with its reason, no key written', () => {
    const key = join(home, 'long.key');
    const res = cdm(['cert', 'issue', 'device-0003.acme.example', '--key-out', key, '--not-after', '1000d', '-o', 'json']);
    expect(res.code).toBe(5);
    expect(JSON.parse(res.stderr).error).toMatchObject({ code: 'conflict', service: 'step-ca', status: 403 });
    expect(JSON.parse(res.stderr).error.message).toMatch(/requested duration of .* is more than the authorized maximum certificate duration/);
    expect(existsSync(key)).toBe(false);
  });

  it('crl: 0.19 serves none, said plainly with exit 3', () => {
    const res = cdm(['cert', 'crl']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/step-ca 0\.19\.0 at .* serves no CRL/);
  });

  it('a wrong provisioner password is exit 4 and nothing reaches /sign', () => {
    const before = requests('/sign');
    expect(cdm(['auth', 'set-credential', 'stepca', '--username', 'iot-bridge'], 'wrong-password').code).toBe(0);
    const res = cdm(['cert', 'issue', 'device-0002.acme.example', '--key-out', join(home, 'dev2.key')]);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/provisioner password is wrong/);
    expect(requests('/sign')).toBe(before);
    expect(cdm(['auth', 'set-credential', 'stepca', '--username', 'iot-bridge'], target().password).code).toBe(0);
  });
});
