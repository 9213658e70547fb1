// `cdm cert` against the sandbox step-ca (in-process, real loopback TLS): issue → verify → renew →
// revoke → renew refused → revoke twice; refusals that must send nothing; dry-run plans;
// the Sub-CA escalation at the provider CA; inventory; CRL; root pinning.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runInContext } from '../helpers/run-cli.js';
import { joinPayload } from '../helpers/bridge-csr.js';
import { makeCsr } from '../helpers/stepca-pki.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
let dir: string;
beforeAll(async () => {
  t = await startTestSandbox();
  dir = t.env.HOME!;
});
afterAll(async () => { await t?.close(); });

const acme = runInContext(() => t.env, 'local-acme');

/** Request lines of a sandbox step-ca's log (logrus text: one line per request). */
function caLog(stack: 'acme' | 'provider'): string[] {
  const file = join(t.stateDir, stack === 'provider' ? 'provider' : join('tenants', stack), 'step-ca', 'step-ca.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
const count = (stack: 'acme' | 'provider', path: RegExp): number => caLog(stack).filter((l) => path.test(l)).length;

describe('cdm cert lifecycle on the tenant CA', () => {
  it('issue → inspect → verify → renew (mTLS) → revoke → renew refused → revoke twice', async () => {
    const key = join(dir, 'dev1.key');
    const crt = join(dir, 'dev1.crt');
    const issued = await acme(['cert', 'issue', 'dev-0001', '--san', '10.20.0.1', '--key-out', key, '--out', crt, '--not-after', '12h', '-o', 'json']);
    expect(issued.stderr).toBe('');
    expect(issued.code).toBe(0);
    const doc = issued.json();
    expect(doc).toMatchObject({ apiVersion: 'cdm/v1', kind: 'Certificate', type: 'certificate', commonName: 'dev-0001', provisioner: 'iot-bridge', certFile: crt, keyFile: key, isCA: false, keyType: 'EC P-256' });
    expect(doc.sans).toEqual(expect.arrayContaining([{ type: 'dns', value: 'dev-0001' }, { type: 'ip', value: '10.20.0.1' }]));
    expect(doc.extKeyUsage).toEqual(['clientAuth']);
    expect(doc.chain).toHaveLength(2);
    expect(Date.parse(doc.notAfter) - Date.parse(doc.notBefore)).toBeLessThanOrEqual(12 * 3_600_000 + 60_000);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(crt, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

    const inspected = await runCli(['cert', 'inspect', crt, '-o', 'json'], { env: t.env });
    expect(inspected.json()).toMatchObject({ kind: 'CertificateList' });
    expect(inspected.json().items[0]).toMatchObject({ serial: doc.serial, commonName: 'dev-0001' });

    const verified = await acme(['cert', 'verify', crt, '-o', 'json']);
    expect(verified.code).toBe(0);
    expect(verified.json()).toMatchObject({ kind: 'CertificateVerification', valid: true });
    expect(verified.json().chain).toHaveLength(2);

    const renewed = await acme(['cert', 'renew', crt, key, '-o', 'json']);
    expect(renewed.code).toBe(0);
    const r = renewed.json();
    expect(r).toMatchObject({ kind: 'Certificate', previousSerial: doc.serial, commonName: 'dev-0001', certFile: crt });
    expect(r.serial).not.toBe(doc.serial);
    expect(readFileSync(crt, 'utf8')).toContain(r.pem.trim());

    const revoked = await acme(['cert', 'revoke', r.serial, '--reason', 'keyCompromise', '--confirm', r.serial, '-o', 'json']);
    expect(revoked.code).toBe(0);
    expect(revoked.json()).toMatchObject({ kind: 'Revocation', serial: r.serial, reasonCode: 1, reason: 'keyCompromise', passive: true });
    expect(revoked.stderr).toMatch(/PASSIVE/);

    const refused = await acme(['cert', 'renew', crt, key]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/lacked necessary authorization/);
    // step-ca's bare 401 gets its reason from cdm's records.
    expect(refused.stderr).toContain(`hint: cdm revoked serial ${r.serial} at `);
    expect(refused.stderr).toContain('(keyCompromise), and step-ca never renews a revoked certificate: issue a new one with `cdm cert issue`');

    const twice = await acme(['cert', 'revoke', '--cert', crt, '--reason', 'superseded', '--confirm', r.serial, '-o', 'json']);
    expect(twice.code).toBe(5);
    const err = JSON.parse(twice.stderr);
    expect(err.error).toMatchObject({ code: 'conflict', service: 'step-ca', status: 400 });
    expect(err.error.message).toMatch(/already revoked/);

    // The inventory saw all of it.
    const all = (await acme(['cert', 'list', '-o', 'json'])).json();
    const bySerial = Object.fromEntries(all.items.map((i: any) => [i.serial, i]));
    expect(bySerial[doc.serial]).toMatchObject({ source: 'issue', renewedBy: r.serial, status: 'valid' });
    expect(bySerial[r.serial]).toMatchObject({ source: 'renew', renewedFrom: doc.serial, status: 'revoked' });
    const rev = (await acme(['cert', 'list', '--revoked', '-o', 'json'])).json();
    expect(rev.items.map((i: any) => i.serial)).toEqual([r.serial]);
    const shown = await acme(['cert', 'show', `0x${r.serialHex}`, '-o', 'json']);
    expect(shown.json()).toMatchObject({ kind: 'Certificate', serial: r.serial, status: 'revoked', revoked: { reasonCode: 1 } });

    // The CRL (0.28 emulator) lists it, signed by the tenant CA.
    const crl = (await acme(['cert', 'crl', '-o', 'json'])).json();
    expect(crl.kind).toBe('CRL');
    expect(crl.entries).toEqual(expect.arrayContaining([expect.objectContaining({ serial: r.serial, reason: 'keyCompromise' })]));
    expect(crl.signedBy).toBeTruthy();
  });

  it('prints the PEM chain on stdout without --out, and signs a CSR made elsewhere', async () => {
    const { csr } = await makeCsr('dev-0002', [{ type: 'dns', value: 'dev-0002' }]);
    const file = join(dir, 'dev2.csr');
    writeFileSync(file, csr);
    const res = await acme(['cert', 'issue', 'dev-0002', '--csr', file]);
    expect(res.code).toBe(0);
    expect(res.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(res.stderr).toMatch(/Issued serial \d+/);
  });

  it('--expiring selects certificates that run out within the window and are not yet renewed', async () => {
    const soon = await acme(['cert', 'issue', 'dev-0003', '--key-out', join(dir, 'dev3.key'), '--out', join(dir, 'dev3.crt'), '--not-after', '1h', '-o', 'json']);
    expect(soon.code).toBe(0);
    const serial = soon.json().serial;
    const in2h = (await acme(['cert', 'list', '--expiring', '2h', '-o', 'json'])).json().items.map((i: any) => i.serial);
    expect(in2h).toContain(serial);
    const in30m = (await acme(['cert', 'list', '--expiring', '30m', '-o', 'json'])).json().items.map((i: any) => i.serial);
    expect(in30m).not.toContain(serial);
    // Once renewed, it needs nothing more: its successor is what --expiring lists.
    const renewed = await acme(['cert', 'renew', join(dir, 'dev3.crt'), join(dir, 'dev3.key'), '-o', 'json']);
    expect(renewed.code, renewed.stderr).toBe(0);
    const after = (await acme(['cert', 'list', '--expiring', '400d', '-o', 'json'])).json().items.map((i: any) => i.serial);
    expect(after).not.toContain(serial);
    expect(after).toContain(renewed.json().serial);
    // Only valid certificates expire: with --revoked the list could only be empty.
    const both = await acme(['cert', 'list', '--expiring', '2h', '--revoked']);
    expect([both.code, both.stderr]).toEqual([2, 'error: --expiring and --revoked exclude each other: --expiring lists only valid certificates\n']);
  });
});

describe('refusals that send nothing', () => {
  it('wrong provisioner password: exit 4, provisioners read, nothing sent to /sign', async () => {
    const env = { ...t.env };
    const good = JSON.parse(readFileSync(join(env.CDM_CONFIG_DIR!, 'credentials.json'), 'utf8')).contexts['local-acme'].services.stepca;
    const set = await runCli(['auth', 'set-credential', 'stepca', '--username', 'iot-bridge', '--context', 'local-acme'], { env, stdin: 'not-the-password\n' });
    expect(set.code).toBe(0);
    const signsBefore = count('acme', /path=\/sign/);
    const res = await acme(['cert', 'issue', 'dev-0004', '--key-out', join(dir, 'dev4.key'), '-o', 'json']);
    expect(res.code).toBe(4);
    const err = JSON.parse(res.stderr).error;
    expect(err).toMatchObject({ code: 'auth', service: 'step-ca' });
    expect(err.message).toMatch(/provisioner password is wrong/);
    expect(err.hint).toMatch(/cdm auth set-credential stepca/);
    expect(count('acme', /path=\/sign/)).toBe(signsBefore);
    expect(existsSync(join(dir, 'dev4.key'))).toBe(false);
    await runCli(['auth', 'set-credential', 'stepca', '--username', 'iot-bridge', '--context', 'local-acme'], { env, stdin: `${good.secret}\n` });
  });

  it('no stored provisioner password: exit 2 naming cdm auth set-credential stepca, no request', async () => {
    const before = caLog('acme').length;
    const env = { ...t.env, CDM_CONFIG_DIR: join(dir, 'config-nocred') };
    await runCli(['context', 'import', join(t.env.CDM_CONFIG_DIR!, 'config.json')], { env }).catch(() => undefined);
    const cfg = JSON.parse(readFileSync(join(t.env.CDM_CONFIG_DIR!, 'config.json'), 'utf8'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(env.CDM_CONFIG_DIR, { recursive: true });
    writeFileSync(join(env.CDM_CONFIG_DIR, 'config.json'), JSON.stringify(cfg));
    const res = await runCli(['cert', 'issue', 'dev-0005', '--key-out', join(dir, 'dev5.key'), '--context', 'local-acme'], { env });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/cdm auth set-credential stepca/);
    expect(caLog('acme').length).toBe(before);
  });

  it.each([
    ['bad serial', ['cert', 'revoke', 'my-cert.pem', '--reason', 'superseded', '--confirm', 'x']],
    ['hex without 0x', ['cert', 'revoke', 'ff00', '--reason', 'superseded', '--confirm', 'ff00']],
    ['unknown reason', ['cert', 'revoke', '1234', '--reason', 'lost', '--confirm', '1234']],
    ['reason code 7', ['cert', 'revoke', '1234', '--reason', '7', '--confirm', '1234']],
    ['reason code 11', ['cert', 'revoke', '1234', '--reason', '11', '--confirm', '1234']],
    ['serial and --cert', ['cert', 'revoke', '1234', '--cert', '/nonexistent.crt', '--reason', '1', '--confirm', '1234']],
    ['neither serial nor --cert', ['cert', 'revoke', '--reason', '1', '--confirm', '1234']],
    ['no --key-out nor --csr', ['cert', 'issue', 'dev-x']],
    ['--csr and --key-out', ['cert', 'issue', 'dev-x', '--csr', 'a.csr', '--key-out', 'a.key']],
    ['bad SAN', ['cert', 'issue', 'dev-x', '--key-out', '/tmp/never.key', '--san', 'not a name!']],
    ['bad --not-after', ['cert', 'issue', 'dev-x', '--key-out', '/tmp/never.key', '--not-after', '12']],
    ['--not-after in the past', ['cert', 'issue', 'dev-x', '--key-out', '/tmp/never.key', '--not-after', '2020-01-01T00:00:00Z']],
    ['the plan of --not-after in the past', ['cert', 'issue', 'dev-x', '--key-out', '/tmp/never.key', '--not-after', '2020-01-01T00:00:00Z', '--dry-run']],
    ['bad fingerprint', ['cert', 'root', '--fingerprint', 'abc']],
    ['--sub-ca on a tenant context', ['cert', 'revoke', '1234', '--sub-ca', 'acme', '--reason', 'cACompromise', '--confirm', '1234']],
    ['--sub-ca alone on a tenant context', ['cert', 'revoke', '--sub-ca', 'acme', '--reason', 'cACompromise', '--confirm', 'acme']],
    ['the plan of --sub-ca on a tenant context', ['cert', 'revoke', '--sub-ca', 'acme', '--reason', 'cACompromise', '--dry-run']],
    ['--sub-ca with --device', ['cert', 'revoke', '--sub-ca', 'acme', '--device', 'dev-1', '--reason', 'cACompromise', '--confirm', 'dev-1']],
  ])('%s: exit 2, nothing sent', async (name, args) => {
    const before = caLog('acme').length;
    const res = await acme(args as string[]);
    expect(res.code).toBe(2);
    expect(res.stderr).not.toBe('');
    if (name.includes('in the past')) expect(res.stderr).toContain('--not-after 2020-01-01T00:00:00Z is in the past (now ');
    if (name.includes('on a tenant context')) expect(res.stderr).toContain('--sub-ca revokes a tenant Sub-CA at the provider CA, but context "local-acme" is a tenant context');
    expect(caLog('acme').length).toBe(before);
  });

  it('--csr - signs a CSR read from stdin', async () => {
    const { csr } = await makeCsr('piped-1');
    const res = await runCli(['cert', 'issue', 'piped-1', '--csr', '-', '--context', 'local-acme', '-o', 'json'], { env: t.env, stdin: csr });
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toMatchObject({ commonName: 'piped-1' });
  });

  it('"-" as --out or --key-out is exit 2 saying what to do, and no file named "-" is made', async () => {
    const before = caLog('acme').length;
    const crt = join(dir, 'dash.crt');
    const key = join(dir, 'dash.key');
    writeFileSync(crt, 'not read\n');
    for (const [args, message] of [
      [['cert', 'issue', 'dash-1', '--key-out', '-'], '--key-out -: cdm writes a private key only to a file (mode 0600), never to stdout'],
      [['cert', 'issue', 'dash-1', '--key-out', key, '--out', '-'], '--out -: leave --out out to print the certificate and its chain to stdout'],
      [['cert', 'renew', crt, key, '--out', '-'], '--out -: the renewed certificate goes to a file'],
      [['device', 'enroll', 'dash-1', '--generate', '--out', '-'], '--out -: a directory for the device\'s files'],
    ] as const) {
      const res = await acme([...args]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toContain(message);
    }
    expect(existsSync(key)).toBe(false);
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
    expect(caLog('acme').length).toBe(before);
  });

  it('an existing --out certificate is replaced only with --yes; without it nothing is sent', async () => {
    const crt = join(dir, 'kept.crt');
    writeFileSync(crt, 'the old certificate\n');
    const before = caLog('acme').length;
    const refused = await acme(['cert', 'issue', 'kept-1', '--key-out', join(dir, 'kept-1.key'), '--out', crt]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`cannot ask "Replace the existing certificate file ${crt}?" (not a terminal): pass --yes`);
    expect(readFileSync(crt, 'utf8')).toBe('the old certificate\n');
    expect(existsSync(join(dir, 'kept-1.key'))).toBe(false);
    expect(caLog('acme').length).toBe(before);
    const plan = await acme(['cert', 'issue', 'kept-1', '--key-out', join(dir, 'kept-1.key'), '--out', crt, '--dry-run']);
    expect(plan.stdout).toContain(`replace (needs --yes) certificate and chain → ${crt}`);
    const replaced = await acme(['cert', 'issue', 'kept-1', '--key-out', join(dir, 'kept-1.key'), '--out', crt, '--yes', '-o', 'json']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(readFileSync(crt, 'utf8')).toContain('BEGIN CERTIFICATE');
    // renew replaces <cert> itself without a question; another existing --out file is asked about.
    const other = join(dir, 'other.crt');
    writeFileSync(other, 'another certificate\n');
    const mid = caLog('acme').length;
    const renewRefused = await acme(['cert', 'renew', crt, join(dir, 'kept-1.key'), '--out', other]);
    expect(renewRefused.code).toBe(2);
    expect(renewRefused.stderr).toContain(`cannot ask "Replace the existing certificate file ${other}?"`);
    expect(readFileSync(other, 'utf8')).toBe('another certificate\n');
    expect(caLog('acme').length).toBe(mid);
    expect((await acme(['cert', 'renew', crt, join(dir, 'kept-1.key'), '--out', crt])).code).toBe(0);
    expect((await acme(['cert', 'renew', crt, join(dir, 'kept-1.key'), '--out', other, '--yes'])).code).toBe(0);
    expect(readFileSync(other, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('never writes a certificate over the private key or the CSR: exit 2, --yes or not, nothing sent', async () => {
    const key = join(dir, 'kept-1.key');
    const keyPem = readFileSync(key, 'utf8');
    const crt = join(dir, 'kept.crt');
    const before = caLog('acme').length;
    const overKey = await acme(['cert', 'renew', crt, key, '--out', `${dir}/./kept-1.key`, '--yes']);
    expect(overKey.code).toBe(2);
    expect(overKey.stderr).toContain('is the key file: writing the certificate there would replace the private key');
    // One PEM file holding both certificate and key, renewed over itself.
    const both = join(dir, 'both.pem');
    writeFileSync(both, readFileSync(crt, 'utf8') + keyPem);
    const overBoth = await acme(['cert', 'renew', both, both, '--yes']);
    expect(overBoth.code).toBe(2);
    expect(overBoth.stderr).toContain('is also the key file: renewing over it would replace the private key with the certificate');
    // Another key (not this certificate's) is no place for it either.
    const otherKey = join(dir, 'other-owner.key');
    writeFileSync(otherKey, keyPem);
    const overOther = await acme(['cert', 'renew', crt, key, '--out', otherKey, '--yes']);
    expect(overOther.code).toBe(2);
    expect(overOther.stderr).toContain(`${otherKey} holds a private key: cdm does not write a certificate over it`);
    const issueOverKey = await acme(['cert', 'issue', 'kept-2', '--key-out', join(dir, 'kept-2.key'), '--out', otherKey, '--yes']);
    expect(issueOverKey.code).toBe(2);
    expect(existsSync(join(dir, 'kept-2.key'))).toBe(false);
    expect(readFileSync(otherKey, 'utf8')).toBe(keyPem);
    const csr = join(dir, 'self.csr');
    writeFileSync(csr, (await makeCsr('self-1')).csr);
    const overCsr = await acme(['cert', 'issue', 'self-1', '--csr', csr, '--out', csr, '--yes']);
    expect(overCsr.code).toBe(2);
    expect(readFileSync(key, 'utf8')).toBe(keyPem);
    expect(readFileSync(csr, 'utf8')).toContain('CERTIFICATE REQUEST');
    expect(caLog('acme').length).toBe(before);
  });

  it('a key or certificate that could not be written is found out before anything is sent (exit 2)', async () => {
    const before = caLog('acme').length;
    const noDir = await acme(['cert', 'issue', 'nodir-1', '--key-out', join(dir, 'no-such-dir', 'k.key'), '--out', join(dir, 'no-such-dir', 'c.crt')]);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain(`--key-out ${join(dir, 'no-such-dir', 'k.key')}: directory ${join(dir, 'no-such-dir')} does not exist`);
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, 'x\n');
    const underFile = await acme(['cert', 'issue', 'nodir-2', '--key-out', join(dir, 'nodir-2.key'), '--out', join(plain, 'c.crt')]);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toMatch(/--out .*plain\.txt\/c\.crt: .*plain\.txt is not a directory/);
    const ontoDir = await acme(['cert', 'issue', 'nodir-3', '--key-out', join(dir, 'nodir-3.key'), '--out', dir, '--yes']);
    expect(ontoDir.code).toBe(2);
    expect(ontoDir.stderr).toContain(`--out ${dir}: not a regular file`);
    const renew = await acme(['cert', 'renew', join(dir, 'kept.crt'), join(dir, 'kept-1.key'), '--out', join(dir, 'no-such-dir', 'r.crt')]);
    expect(renew.code).toBe(2);
    expect(existsSync(join(dir, 'nodir-2.key'))).toBe(false);
    expect(caLog('acme').length).toBe(before);
  });

  it('a malformed CSR is exit 2 with nothing sent', async () => {
    const file = join(dir, 'bad.csr');
    writeFileSync(file, '-----BEGIN CERTIFICATE REQUEST-----\nMIIBnotacsr\n-----END CERTIFICATE REQUEST-----\n');
    const before = caLog('acme').length;
    const res = await acme(['cert', 'issue', 'dev-x', '--csr', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/malformed certificate request/);
    expect(caLog('acme').length).toBe(before);
  });

  it('a CSR whose CN is not the requested common name is refused before /sign (step-ca: CN = sub)', async () => {
    const { csr } = await makeCsr('someone-else');
    const file = join(dir, 'other.csr');
    writeFileSync(file, csr);
    const before = caLog('acme').length;
    const res = await acme(['cert', 'issue', 'dev-0006', '--csr', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/common name "someone-else" is not the requested "dev-0006"/);
    expect(caLog('acme').length).toBe(before);
  });

  it('revoke without --confirm and without a terminal: exit 2 naming --confirm <serial>, nothing sent', async () => {
    const before = caLog('acme').length;
    const res = await acme(['cert', 'revoke', '0x0a0b', '--reason', 'superseded']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--confirm 2571');
    expect(caLog('acme').length).toBe(before);
  });

  it('--yes never passes the severe confirmation', async () => {
    const res = await acme(['cert', 'revoke', '2571', '--reason', 'superseded', '--yes']);
    expect(res.code).toBe(2);
  });

  it('an existing --key-out file is never overwritten (exit 5)', async () => {
    const file = join(dir, 'exists.key');
    writeFileSync(file, 'precious');
    const res = await acme(['cert', 'issue', 'dev-x', '--key-out', file]);
    expect(res.code).toBe(5);
    expect(readFileSync(file, 'utf8')).toBe('precious');
  });

  it('show of an unknown serial is exit 3 and says where the inventory comes from', async () => {
    const res = await acme(['cert', 'show', '987654321']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/step-ca has no API/);
  });
});

describe('dry-run plans', () => {
  it('issue, renew and revoke print plans as data and send nothing', async () => {
    const before = caLog('acme').length;
    const issue = await acme(['cert', 'issue', 'dev-plan', '--san', 'dev-plan.local', '--key-out', join(dir, 'plan.key'), '--out', join(dir, 'plan.crt'), '--dry-run', '-o', 'json']);
    expect(issue.code).toBe(0);
    expect(issue.json()).toMatchObject({ kind: 'Plan', dryRun: true, command: 'cdm cert issue', context: 'local-acme' });
    expect(issue.json().steps.map((s: any) => s.action)).toEqual(['generate', 'fetch', 'sign', 'verify', 'write']);
    expect(issue.json().steps[2].details).toMatchObject({ sans: ['dev-plan', 'dev-plan.local'], provisioner: 'iot-bridge' });
    expect(existsSync(join(dir, 'plan.key'))).toBe(false);

    const revoke = await acme(['cert', 'revoke', '0x10', '--reason', 'cessationOfOperation', '--dry-run', '-o', 'json']);
    expect(revoke.code).toBe(0);
    expect(revoke.json().steps[0]).toMatchObject({ action: 'revoke', service: 'step-ca', details: { reasonCode: 5, passive: true } });
    expect(revoke.json().steps[0].target).toMatch(/^serial 16 /);
    // The human plan names the context once (the renderer adds it).
    expect((await acme(['cert', 'revoke', '0x10', '--reason', '5', '--dry-run'])).stdout.split('\n')[0]).toBe('Dry run: revoke serial 16 at the step-ca (context local-acme)');

    const key = join(dir, 'dr.key');
    const crt = join(dir, 'dr.crt');
    expect((await acme(['cert', 'issue', 'dev-dr', '--key-out', key, '--out', crt])).code).toBe(0);
    const mid = caLog('acme').length;
    const renew = await acme(['cert', 'renew', crt, key, '--dry-run']);
    expect(renew.code).toBe(0);
    expect(renew.stdout).toMatch(/Dry run: renew the certificate in/);
    expect(caLog('acme').length).toBe(mid);
    expect(mid).toBeGreaterThan(before);
  });
});

describe('Sub-CA revocation at the provider CA', () => {
  it('--sub-ca revokes a tenant Sub-CA certificate on local-provider', async () => {
    const key = join(dir, 'subca.key');
    const crt = join(dir, 'subca.crt');
    // local-provider signs with tenant-sub-ca-signer (Sub-CA template: CA, pathlen 0): --ca says a CA is meant.
    const issued = await runCli(['cert', 'issue', 'acme', '--ca', '--key-out', key, '--out', crt, '--context', 'local-provider', '-o', 'json'], { env: t.env });
    expect(issued.code).toBe(0);
    expect(issued.json()).toMatchObject({ isCA: true, pathLength: 0, provisioner: 'tenant-sub-ca-signer' });
    const serial = issued.json().serial;
    const revokesBefore = count('provider', /path=\/revoke/);
    const res = await runCli(['cert', 'revoke', '--sub-ca', 'acme', '--cert', crt, '--reason', 'cACompromise', '--confirm', serial, '--context', 'local-provider', '-o', 'json'], { env: t.env });
    expect(res.code).toBe(0);
    expect(res.json()).toMatchObject({ serial, subCaTenant: 'acme', reasonCode: 2, passive: true });
    expect(count('provider', /path=\/revoke/)).toBe(revokesBefore + 1);
    // That certificate is not the one acme's CA signs with: enrolling there draws no warning.
    const enrolled = await acme(['device', 'enroll', 'after-subca-1', '--generate', '--out', join(dir, 'after-subca-1')]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    expect(enrolled.stderr).not.toContain('revoked the Sub-CA');
    // A leaf is not a Sub-CA.
    const leafKey = join(dir, 'leaf.key');
    const leafCrt = join(dir, 'leaf.crt');
    expect((await acme(['cert', 'issue', 'leaf-1', '--key-out', leafKey, '--out', leafCrt])).code).toBe(0);
    const notCa = await runCli(['cert', 'revoke', '--sub-ca', 'acme', '--cert', leafCrt, '--reason', '2', '--context', 'local-provider', '--confirm', '1'], { env: t.env });
    expect(notCa.code).toBe(2);
    expect(notCa.stderr).toMatch(/not a CA certificate/);
  });
});

describe('a CA certificate nobody asked for', () => {
  it('is withheld without --ca: exit 5, neither certificate nor key written, the serial recorded for its revocation', async () => {
    const key = join(dir, 'svc-1.key');
    const crt = join(dir, 'svc-1.crt');
    const res = await runCli(['cert', 'issue', 'svc-1', '--key-out', key, '--out', crt, '--context', 'local-provider'], { env: t.env });
    expect(res.code).toBe(5);
    expect(res.stderr).toMatch(/provisioner tenant-sub-ca-signer issued a CA certificate \(serial (\d+), CN svc-1, pathlen 0\); cdm wrote neither it nor its key, which is dropped: the certificate can sign nothing/);
    expect(res.stderr).toContain('pass --ca to mean a CA certificate');
    expect(existsSync(key)).toBe(false);
    expect(existsSync(crt)).toBe(false);
    const serial = /serial (\d+)/.exec(res.stderr)![1]!;
    const listed = (await runCli(['cert', 'list', '--context', 'local-provider', '-o', 'json'], { env: t.env })).json().items as any[];
    expect(listed.find((c) => c.serial === serial)).toMatchObject({ commonName: 'svc-1', isCA: true, source: 'issue' });
    // A leaf provisioner's certificate is no CA: nothing to withhold.
    const leaf = await acme(['cert', 'issue', 'svc-2', '--key-out', join(dir, 'svc-2.key'), '--out', join(dir, 'svc-2.crt')]);
    expect(leaf.code, leaf.stderr).toBe(0);
  });
});

describe('Sub-CA revocation by tenant id', () => {
  it('--sub-ca alone revokes the Sub-CA serial the provider bridge recorded; the tenant id confirms it', async () => {
    const provider = runInContext(() => t.env, 'local-provider');
    const bridge = t.sandbox.info.services.find((s) => s.stack === 'provider' && s.service === 'bridge')!.url;
    const token = (await provider(['auth', 'token'])).stdout.trim();
    const prep = await (await fetch(`${bridge}/portal/admin/tenants/prepare`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ tenant_id: 'gamma', display_name: 'Gamma' }) })).json() as { join_key: string };
    expect((await fetch(`${bridge}/portal/admin/join`, { method: 'POST', headers: { 'x-join-key': prep.join_key, 'content-type': 'application/json' }, body: JSON.stringify(await joinPayload('gamma', 'Gamma')) })).status).toBe(200);
    const recorded = (await provider(['tenant', 'show', 'gamma', '-o', 'json'])).json();
    const serial = recorded.subCaSerial as string;
    expect(serial).toMatch(/^\d+$/);

    const revokesBefore = count('provider', /path=\/revoke/);
    const plan = await provider(['cert', 'revoke', '--sub-ca', 'gamma', '--reason', 'cACompromise', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout.split('\n').slice(0, 3)).toEqual([
      'Dry run: revoke the Sub-CA of tenant gamma (the serial the provider bridge recorded) at the step-ca (context local-provider)',
      '  1. look up sub_ca_serial of tenant gamma [bridge]',
      '  2. revoke the serial the bridge names for tenant gamma [step-ca] reason=cACompromise reasonCode=2 passive=true',
    ]);
    // Severe: the confirmation is the tenant id, not the serial it resolves to.
    const wrong = await provider(['cert', 'revoke', '--sub-ca', 'gamma', '--reason', 'cACompromise', '--confirm', serial]);
    expect(wrong.code).toBe(2);
    expect(count('provider', /path=\/revoke/)).toBe(revokesBefore);

    const r = await provider(['cert', 'revoke', '--sub-ca', 'gamma', '--reason', 'cACompromise', '--confirm', 'gamma', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ serial, subCaTenant: 'gamma', reasonCode: 2, passive: true });
    expect(count('provider', /path=\/revoke/)).toBe(revokesBefore + 1);
    // tenant show says so (the bridge register does not know: revocation at step-ca is passive).
    expect((await provider(['tenant', 'show', 'gamma', '-o', 'json'])).json().pki.revoked).toMatchObject({ reasonCode: 2, reason: 'cACompromise' });
    const listed = (await provider(['cert', 'list', '--revoked', '-o', 'json'])).json().items.find((c: any) => c.serial === serial);
    expect(listed).toMatchObject({ subCaTenant: 'gamma', notAfter: recorded.subCaNotAfter });
    expect(listed.commonName).toBe('gamma');

    const again = await provider(['cert', 'revoke', '--sub-ca', 'gamma', '--reason', 'cACompromise', '--confirm', 'gamma']);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/already revoked/);
    const unknown = await provider(['cert', 'revoke', '--sub-ca', 'nobody', '--reason', 'cACompromise', '--confirm', 'nobody']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/tenant "nobody" is not known to the provider bridge/);
  }, 30_000);
});

describe('root', () => {
  it('prints the pinned root after checking its fingerprint', async () => {
    const fp = t.sandbox.info.stepcaFingerprints.acme!;
    const res = await acme(['cert', 'root', '-o', 'json']);
    expect(res.code).toBe(0);
    expect(res.json()).toMatchObject({ kind: 'Root', fingerprintSha256: fp, verifiedBy: 'fingerprint', pinned: null });
    const pem = await acme(['cert', 'root']);
    expect(pem.stdout).toBe(readFileSync(join(t.stateDir, 'tenants', 'acme', 'step-ca', 'certs', 'root_ca.crt'), 'utf8'));
  });

  it('bootstraps a context with no pin and no CA bundle: --fingerprint pins it (dry-run first)', async () => {
    const fp = t.sandbox.info.stepcaFingerprints.acme!;
    const url = t.sandbox.info.services.find((s) => s.stack === 'acme' && s.service === 'step-ca')!.url;
    expect((await runCli(['context', 'add', 'boot', '--kind', 'tenant', '--tenant', 'acme', '--stepca-url', url], { env: t.env })).code).toBe(0);
    const plan = await runCli(['cert', 'root', '--fingerprint', fp.toUpperCase().replace(/(..)(?!$)/g, '$1:'), '--context', 'boot', '--dry-run', '-o', 'json'], { env: t.env });
    expect(plan.code).toBe(0);
    expect(plan.json().steps.map((s: any) => s.action)).toEqual(['fetch', 'pin', 'write']);
    const wrong = await runCli(['cert', 'root', '--fingerprint', 'a'.repeat(64), '--context', 'boot'], { env: t.env });
    expect(wrong.code).toBe(3);
    const pinned = await runCli(['cert', 'root', '--fingerprint', fp, '--context', 'boot', '-o', 'json'], { env: t.env });
    expect(pinned.code).toBe(0);
    expect(pinned.json().pinned).toMatchObject({ context: 'boot', fingerprint: fp });
    const ctx = (await runCli(['context', 'show', 'boot', '-o', 'json'], { env: t.env })).json();
    expect(JSON.stringify(ctx)).toContain(fp);
    // Now the pinned context verifies what the tenant CA issued.
    const verified = await runCli(['cert', 'verify', join(dir, 'dr.crt'), '--context', 'boot'], { env: t.env });
    expect(verified.code).toBe(0);
    const other = await runCli(['cert', 'root', '--fingerprint', 'b'.repeat(64), '--context', 'boot'], { env: t.env });
    expect(other.code).toBe(5);
    expect(other.stderr).toContain(`context "boot" pins the step-ca root ${fp}, not the ${'b'.repeat(64)} given; refusing to replace the pin`);
  });
});

describe('verify failures', () => {
  it('a certificate from another CA is exit 1 with the reason', async () => {
    const res = await runCli(['cert', 'verify', join(dir, 'subca.crt'), '--context', 'local-acme', '-o', 'json'], { env: t.env });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr).error).toMatchObject({ code: 'verification_failed' });
    expect(JSON.parse(res.stderr).error.message).toMatch(/does not chain to a trusted root/);
  });

  it('with neither --roots nor a context: exit 2', async () => {
    const res = await runCli(['cert', 'verify', join(dir, 'dr.crt')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--roots/);
  });

  it('--roots given: verifies offline against it', async () => {
    const roots = join(t.stateDir, 'tenants', 'acme', 'step-ca', 'certs', 'root_ca.crt');
    const res = await runCli(['cert', 'verify', join(dir, 'dr.crt'), '--roots', roots, '-o', 'json']);
    expect(res.code).toBe(0);
    expect(res.json().root.fingerprintSha256).toBe(t.sandbox.info.stepcaFingerprints.acme);
  });
});

describe('--device: the serial the tenant bridge recorded at enrollment', () => {
  /** Enrolls a device straight at the tenant bridge, as the device itself would, with a CSR made here. */
  async function enrollAtBridge(id: string): Promise<{ bridge: string; token: string; certificate: string }> {
    const bridge = t.sandbox.info.services.find((s) => s.stack === 'acme' && s.service === 'bridge')!.url;
    const token = (await acme(['auth', 'token'])).stdout.trim();
    const { csr } = await makeCsr(id);
    const res = await fetch(`${bridge}/devices/${id}/enroll`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ csr, device_name: id }),
    });
    expect(res.status).toBe(200);
    return { bridge, token, certificate: ((await res.json()) as { certificate: string }).certificate };
  }

  it('list --device shows it; revoke --device revokes it at the tenant CA (confirmed by device id)', async () => {
    const { bridge, token } = await enrollAtBridge('dev-b1');
    const record = await (await fetch(`${bridge}/devices/dev-b1`, { headers: { authorization: `Bearer ${token}` } })).json() as { cert_serial: string; cert_not_after: string };

    const listed = await acme(['cert', 'list', '--device', 'dev-b1', '-o', 'json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json().items).toEqual([expect.objectContaining({ serial: record.cert_serial, commonName: 'dev-b1', source: 'bridge', status: 'valid' })]);

    const plan = await acme(['cert', 'revoke', '--device', 'dev-b1', '--reason', 'keyCompromise', '--dry-run', '-o', 'json']);
    expect(plan.json().steps.map((s: any) => `${s.action}/${s.service}`)).toEqual(['look up/bridge', 'revoke/step-ca', 'record/undefined']);
    const wrongConfirm = await acme(['cert', 'revoke', '--device', 'dev-b1', '--reason', 'keyCompromise', '--confirm', record.cert_serial]);
    expect(wrongConfirm.code).toBe(2);

    const revokesBefore = count('acme', /path=\/revoke/);
    const res = await acme(['cert', 'revoke', '--device', 'dev-b1', '--reason', 'keyCompromise', '--confirm', 'dev-b1', '-o', 'json']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toMatchObject({ serial: record.cert_serial, device: 'dev-b1', reasonCode: 1 });
    expect(count('acme', /path=\/revoke/)).toBe(revokesBefore + 1);
    expect((await acme(['cert', 'list', '--device', 'dev-b1', '-o', 'json'])).json().items[0]).toMatchObject({ status: 'revoked' });
    // The local inventory keeps the expiry the bridge recorded, not just the serial.
    const revokedList = (await acme(['cert', 'list', '--revoked', '-o', 'json'])).json().items as any[];
    expect(revokedList.find((c) => c.serial === record.cert_serial)).toMatchObject({ commonName: 'dev-b1', notAfter: record.cert_not_after, source: 'revoke' });

    const unknown = await acme(['cert', 'revoke', '--device', 'no-such-device', '--reason', '1', '--confirm', 'no-such-device']);
    expect(unknown.code).toBe(3);
  });

  it('revoke --cert of a certificate cdm did not issue records its name, SANs and validity', async () => {
    const crt = join(dir, 'dev-c1.crt');
    writeFileSync(crt, (await enrollAtBridge('dev-c1')).certificate);
    const facts = (await runCli(['cert', 'inspect', crt, '-o', 'json'], { env: t.env })).json();
    const item = facts.items?.[0] ?? facts;
    const revoked = await acme(['cert', 'revoke', '--cert', crt, '--reason', 'cessationOfOperation', '--confirm', item.serial, '-o', 'json']);
    expect(revoked.code, revoked.stderr).toBe(0);
    const listed = (await acme(['cert', 'list', '--revoked', '-o', 'json'])).json().items as any[];
    expect(listed.find((c) => c.serial === item.serial)).toMatchObject({
      commonName: 'dev-c1', sans: expect.arrayContaining(['dev-c1']), notBefore: item.notBefore, notAfter: item.notAfter, isCA: false, source: 'revoke', status: 'revoked',
    });
  });

  it('revoke --cert at a CA that did not issue it: exit 2 naming the issuer, nothing revoked there (step-ca records any serial)', async () => {
    const crt = join(dir, 'dev-c2.crt');
    writeFileSync(crt, (await enrollAtBridge('dev-c2')).certificate); // the leaf alone: the CA's intermediates complete it
    const facts = (await runCli(['cert', 'inspect', crt, '-o', 'json'], { env: t.env })).json();
    const revokesBefore = count('provider', /path=\/revoke/);
    const wrong = await runCli(['cert', 'revoke', '--cert', crt, '--reason', 'keyCompromise', '--confirm', facts.serial, '--context', 'local-provider'], { env: t.env });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`was not issued by the step-ca of context "local-provider" (its issuer is "${facts.issuer}")`);
    expect(wrong.stderr).toContain('hint: revoke it through the context of that CA');
    expect(count('provider', /path=\/revoke/)).toBe(revokesBefore);
    // Its own CA still takes it.
    const right = await acme(['cert', 'revoke', '--cert', crt, '--reason', 'keyCompromise', '--confirm', facts.serial]);
    expect(right.code, right.stderr).toBe(0);
  });

  it('revoke <serial> that cdm issued through another CA\'s context: exit 2 naming that context, dry-run included, nothing sent', async () => {
    const key = join(dir, 'elsewhere.key');
    const crt = join(dir, 'elsewhere.crt');
    const issued = await acme(['cert', 'issue', 'elsewhere-1', '--key-out', key, '--out', crt, '-o', 'json']);
    expect(issued.code, issued.stderr).toBe(0);
    const serial = issued.json().serial as string;
    const revokesBefore = count('provider', /path=\/revoke/);
    for (const extra of [['--confirm', serial], ['--dry-run']]) {
      const wrong = await runCli(['cert', 'revoke', serial, '--reason', 'keyCompromise', ...extra, '--context', 'local-provider'], { env: t.env });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain(`serial ${serial} (CN elsewhere-1) was issued through context "local-acme", whose step-ca is not that of context "local-provider"`);
      expect(wrong.stderr).toContain(`hint: revoke it there: cdm cert revoke ${serial} --context local-acme`);
    }
    expect(count('provider', /path=\/revoke/)).toBe(revokesBefore);
    // Another context on the same CA (another user of the same stack) is not "another CA".
    const sc = (await runCli(['context', 'show', 'local-acme', '-o', 'json'], { env: t.env })).json().stepca;
    expect((await runCli(['context', 'add', 'acme-twin', '--kind', 'tenant', '--tenant', 'acme', '--stepca-url', sc.url, '--stepca-fingerprint', sc.fingerprint], { env: t.env })).code).toBe(0);
    const twin = await runCli(['cert', 'revoke', serial, '--reason', 'keyCompromise', '--dry-run', '--context', 'acme-twin'], { env: t.env });
    expect(twin.code, twin.stderr).toBe(0);
    const right = await acme(['cert', 'revoke', serial, '--reason', 'keyCompromise', '--confirm', serial]);
    expect(right.code, right.stderr).toBe(0);
  });

  it('a context without a bridge URL: exit 2, nothing sent to step-ca', async () => {
    const url = t.sandbox.info.services.find((s) => s.stack === 'acme' && s.service === 'step-ca')!.url;
    const root = join(t.stateDir, 'tenants', 'acme', 'step-ca', 'certs', 'root_ca.crt');
    expect((await runCli(['context', 'add', 'nobridge', '--kind', 'tenant', '--tenant', 'acme', '--stepca-url', url, '--ca-bundle', root, '--stepca-provisioner', 'iot-bridge'], { env: t.env })).code).toBe(0);
    expect((await runCli(['auth', 'set-credential', 'stepca', '--username', 'iot-bridge', '--context', 'nobridge'], { env: t.env, stdin: 'pw' })).code).toBe(0);
    const before = caLog('acme').length;
    const res = await runCli(['cert', 'revoke', '--device', 'dev-b1', '--reason', '1', '--confirm', 'dev-b1', '--context', 'nobridge'], { env: t.env });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/has no bridge URL/);
    expect(caLog('acme').length).toBe(before);
  });
});
