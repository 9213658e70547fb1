// Device certificates from `cdm device enroll` in `cdm cert list|show`: step-ca cannot list what it
// issued, so cdm shows what its own enrollments recorded, with the later facts cdm learned
// (renewed, replaced by a re-enrollment, revoked). And `cdm cert verify` of a device's leaf alone
// says how to give its chain.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runInContext } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
let dir: string;
beforeAll(async () => {
  t = await startTestSandbox();
  dir = t.env.HOME!;
});
afterAll(async () => { await t?.close(); });

const acme = runInContext(() => t.env, 'local-acme');

async function enroll(id: string, out: string): Promise<{ serial: string; notAfter: string }> {
  const res = await acme(['device', 'enroll', id, '--generate', '--out', out, '-o', 'json']);
  expect(res.code, res.stderr).toBe(0);
  const doc = res.json();
  return { serial: doc.certSerial, notAfter: doc.certNotAfter };
}

const listed = async (args: string[] = []): Promise<any[]> => {
  const res = await acme(['cert', 'list', ...args, '-o', 'json']);
  expect(res.code, res.stderr).toBe(0);
  return res.json().items;
};

describe('device certificates in cdm cert list|show', () => {
  it('an enrolled device\'s certificate is listed and shown, with its device and files', async () => {
    const out = join(dir, 'dev-e1');
    const first = await enroll('dev-e1', out);
    const shown = await acme(['cert', 'show', first.serial, '-o', 'json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json()).toMatchObject({
      kind: 'Certificate', serial: first.serial, commonName: 'dev-e1', device: 'dev-e1', notAfter: first.notAfter,
      status: 'valid', source: 'enroll', certFile: join(out, 'device.crt'), keyFile: join(out, 'device.key'), context: 'local-acme',
    });
    // One certificate in the file: inspect answers a single Certificate document.
    const facts = (await runCli(['cert', 'inspect', join(out, 'device.crt'), '-o', 'json'], { env: t.env })).json();
    expect(shown.json().serialHex).toBe(facts.serialHex);
    expect(shown.json().notBefore).toBe(facts.notBefore);
    expect((await listed()).map((c) => c.serial)).toContain(first.serial);
    expect((await listed(['--device', 'dev-e1']))[0]).toMatchObject({ serial: first.serial, source: 'enroll', device: 'dev-e1' });
    // Bulk enrollments are recorded the same way.
    const csv = join(dir, 'bulk.csv');
    writeFileSync(csv, 'id\ndev-e2\ndev-e3\n');
    const bulk = await acme(['device', 'enroll', '--from-file', csv, '--out', join(dir, 'bulk')]);
    expect(bulk.code, bulk.stderr).toBe(0);
    const serials = bulk.stdout.trim().split('\n').map((l) => JSON.parse(l).certSerial);
    expect((await listed()).filter((c) => c.source === 'enroll').map((c) => c.serial)).toEqual(expect.arrayContaining(serials));
  });

  it('files given by relative paths are recorded absolute, so the records hold from any directory', async () => {
    // The CLI runs in this process: paths relative to its working directory stand for an
    // operator's relative paths.
    const rel = (p: string): string => relative(process.cwd(), p);
    const out = join(dir, 'rel-dev');
    const serial = (await enroll('rel-e1', rel(out))).serial;
    expect((await acme(['cert', 'show', serial, '-o', 'json'])).json().certFile).toBe(join(out, 'device.crt'));
    const csv = join(dir, 'rel.csv');
    writeFileSync(csv, 'id\nrel-e2\n');
    const bulk = await acme(['device', 'enroll', '--from-file', csv, '--out', rel(join(dir, 'rel-bulk'))]);
    expect(bulk.code, bulk.stderr).toBe(0);
    expect((await listed(['--device', 'rel-e2']))[0].certFile).toBe(join(dir, 'rel-bulk', 'rel-e2', 'device.crt'));
    const crt = join(dir, 'rel-web.crt');
    const key = join(dir, 'rel-web.key');
    const issued = await acme(['cert', 'issue', 'rel-web', '--key-out', rel(key), '--out', rel(crt), '-o', 'json']);
    expect(issued.code, issued.stderr).toBe(0);
    expect((await acme(['cert', 'show', issued.json().serial, '-o', 'json'])).json()).toMatchObject({ certFile: crt, keyFile: key });
    const renewed = await acme(['cert', 'renew', rel(crt), rel(key), '-o', 'json']);
    expect(renewed.code, renewed.stderr).toBe(0);
    expect((await acme(['cert', 'show', renewed.json().serial, '-o', 'json'])).json()).toMatchObject({ certFile: crt, keyFile: key });
  });

  it('a re-enrollment supersedes the earlier certificate; a renewal and a revocation are shown on the device\'s record', async () => {
    const first = await enroll('dev-e4', join(dir, 'dev-e4-a'));
    const second = await enroll('dev-e4', join(dir, 'dev-e4-b'));
    const all = await listed();
    expect(all.find((c) => c.serial === first.serial)).toMatchObject({ supersededBy: second.serial, status: 'valid' });
    expect(all.find((c) => c.serial === second.serial)).not.toHaveProperty('supersededBy');
    // Expiring within two days: the sandbox issues 24 h certificates; the replaced one needs nothing.
    let expiring = (await listed(['--expiring', '2d'])).map((c) => c.serial);
    expect(expiring).toContain(second.serial);
    expect(expiring).not.toContain(first.serial);

    const crt = join(dir, 'dev-e4-b', 'device.crt');
    const renewed = await acme(['cert', 'renew', crt, join(dir, 'dev-e4-b', 'device.key'), '-o', 'json']);
    expect(renewed.code, renewed.stderr).toBe(0);
    const next = renewed.json().serial as string;
    expect(readFileSync(crt, 'utf8')).toContain(renewed.json().pem.trim());
    const after = await listed();
    expect(after.find((c) => c.serial === second.serial)).toMatchObject({ source: 'enroll', renewedBy: next });
    expect(after.find((c) => c.serial === next)).toMatchObject({ source: 'renew', renewedFrom: second.serial, certFile: crt });
    // The file now holds the successor: the renewed certificate no longer names it.
    expect(after.find((c) => c.serial === second.serial)).not.toHaveProperty('certFile');
    expiring = (await listed(['--expiring', '2d'])).map((c) => c.serial);
    expect(expiring).toContain(next);
    expect(expiring).not.toContain(second.serial);

    const revoked = await acme(['cert', 'revoke', first.serial, '--reason', 'superseded', '--confirm', first.serial]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const revokedView = (await acme(['cert', 'show', first.serial, '-o', 'json'])).json();
    expect(revokedView).toMatchObject({ source: 'enroll', device: 'dev-e4', status: 'revoked', revoked: { reason: 'superseded' } });
    // The revocation's record knows no validity start; the enrollment's still shows.
    expect(revokedView.notBefore).toMatch(/^\d{4}-/);
    expect((await listed(['--revoked'])).map((c) => c.serial)).toContain(first.serial);
    // Its chain still verifies (revocation is passive), but cdm knows better: exit 1, saying why.
    const a = join(dir, 'dev-e4-a');
    const verified = await acme(['cert', 'verify', '-'], readFileSync(join(a, 'device.crt'), 'utf8') + readFileSync(join(a, 'ca.crt'), 'utf8'));
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(new RegExp(`but cdm revoked serial ${first.serial} at \\S+ \\(superseded\\)`));
    expect(verified.stderr).toMatch(/revocation is passive/);
    // Still listed in enrollment order, before its successor.
    const order = (await listed()).map((c) => c.serial);
    expect(order.indexOf(first.serial)).toBeLessThan(order.indexOf(second.serial));
    // --device: every certificate of the device, oldest first, the bridge's current one included.
    expect((await listed(['--device', 'dev-e4'])).map((c) => [c.serial, c.status])).toEqual([
      [first.serial, 'revoked'], [second.serial, 'valid'], [next, 'valid'],
    ]);
    // After the bridge forgot the device, cdm's records still answer.
    expect((await acme(['device', 'delete', 'dev-e4', '--yes'])).code).toBe(0);
    expect((await listed(['--device', 'dev-e4'])).map((c) => c.serial)).toEqual([first.serial, second.serial, next]);
  });

  it('device show carries the certificate as far as cdm knows it: file, renewal, revocation', async () => {
    const out = join(dir, 'dev-e6');
    const { serial, notAfter } = await enroll('dev-e6', out);
    const shown = async (): Promise<any> => (await acme(['device', 'show', 'dev-e6', '-o', 'json'])).json().certificate;
    expect(await shown()).toEqual({ serial, notAfter, status: 'valid', revoked: null, file: join(out, 'device.crt'), renewedBy: null });
    const before = await runCli(['device', 'show', 'dev-e6', '--context', 'local-acme'], { env: t.env, tty: true });
    expect(before.stdout).toMatch(new RegExp(`^Cert file: +${out}/device.crt$`, 'm'));

    const renewed = await acme(['cert', 'renew', join(out, 'device.crt'), join(out, 'device.key'), '-o', 'json']);
    expect(renewed.code, renewed.stderr).toBe(0);
    // The bridge still names the enrolled certificate; cdm knows it was renewed, over the same file.
    expect(await shown()).toMatchObject({ serial, status: 'valid', renewedBy: renewed.json().serial, file: null });

    expect((await acme(['cert', 'revoke', '--device', 'dev-e6', '--reason', 'keyCompromise', '--confirm', 'dev-e6'])).code).toBe(0);
    // cdm's journal (and so `cdm audit`) names the device the operator confirmed.
    const journal = readFileSync(join(t.env.CDM_STATE_DIR!, 'journal.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.at(-1)).toMatchObject({ command: 'cdm cert revoke', outcome: 'success', targets: ['dev-e6', 'cert_serial of device dev-e6', 'the serial the bridge names for dev-e6', 'the revocation in the local certificate inventory'] });
    expect(await shown()).toMatchObject({ serial, status: 'revoked', revoked: { reasonCode: 1, reason: 'keyCompromise' } });
    const view = await runCli(['device', 'show', 'dev-e6', '--context', 'local-acme'], { env: t.env, tty: true });
    expect(view.stdout).toMatch(/^Cert status: +revoked \d{4}-\d\d-\d\dT\S+ \(keyCompromise\)$/m);
    expect(view.stdout).not.toMatch(/^Cert file:/m);
  });

  it('the terminal view leaves out what is not known', async () => {
    const { serial } = await enroll('dev-e5', join(dir, 'dev-e5'));
    const res = await runCli(['cert', 'show', serial, '--context', 'local-acme'], { env: t.env, tty: true });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^Device:\s+dev-e5$/m);
    // The enrollment recorded the key made here and the validity start.
    expect(res.stdout).toMatch(new RegExp(`^Key file:\\s+${join(dir, 'dev-e5', 'device.key')}$`, 'm'));
    expect(res.stdout).toMatch(/^Not before:\s+\d{4}-/m);
    expect(res.stdout).not.toMatch(/^(Renewed by|Revoked):/m);
  });

  it('an unknown serial names where cdm\'s records come from (exit 3)', async () => {
    const res = await acme(['cert', 'show', '987654321']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/not among the certificates cdm recorded for context "local-acme"/);
  });

  it('an unknown device is exit 3 with a hint that fits cert list (not the debug one)', async () => {
    const res = await acme(['cert', 'list', '--device', 'nobody-1']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/device "nobody-1" is not enrolled at the bridge/);
    expect(res.stderr).toContain('hint: `cdm device list` shows the fleet');
  });
});

describe('cert verify of a device certificate', () => {
  it('the leaf alone does not verify and the hint says to append ca.crt; leaf and chain on stdin verify', async () => {
    const out = join(dir, 'dev-v1');
    await enroll('dev-v1', out);
    const alone = await acme(['cert', 'verify', join(out, 'device.crt')]);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/does not chain to a trusted root/);
    expect(alone.stderr).toMatch(/cat device\.crt ca\.crt \| cdm cert verify -/);
    const chained = await acme(['cert', 'verify', '-', '-o', 'json'], readFileSync(join(out, 'device.crt'), 'utf8') + readFileSync(join(out, 'ca.crt'), 'utf8'));
    expect(chained.code, chained.stderr).toBe(0);
    expect(chained.json()).toMatchObject({ valid: true, subject: expect.stringContaining('CN=dev-v1') });
  });
});
