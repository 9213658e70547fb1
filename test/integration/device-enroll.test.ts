// cdm device enroll against the in-process sandbox: one device with keys made here or with its own
// CSR, the refusals that send nothing, and a bulk file with a bad row, then resumed.
import { createPublicKey, createPrivateKey, X509Certificate } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsr } from '../../src/pki/csr.js';
import { generateEcKey } from '../../src/pki/keys.js';
import { generateWgKeyPair } from '../../src/pki/wireguard-keys.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/temp.js';

let t: TestSandbox;
let dir: string;
beforeAll(async () => { t = await startTestSandbox(); dir = tempDir('cdm-enroll-'); }, 30_000);
afterAll(async () => { await t?.close(); });

const cli = (args: string[]) => runCli([...args, '--context', 'local-acme'], { env: t.env });
const bridgeDevice = async (id: string): Promise<any> => {
  const r = await cli(['device', 'show', id, '-o', 'json']);
  return r.code === 0 ? r.json().bridge : undefined;
};

describe('cdm device enroll <id>', () => {
  it('--generate: key 0600, certificate for the id, CA, wg0.conf with the private key of the registered public key', async () => {
    const out = join(dir, 'dev-1');
    const r = await cli(['device', 'enroll', 'dev-1', '--generate', '--out', out, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const res = r.json();
    expect(res).toMatchObject({ kind: 'Enrollment', id: 'dev-1', status: 'enrolled' });
    expect(statSync(join(out, 'device.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, 'wg0.conf')).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(readFileSync(join(out, 'device.crt')));
    expect(cert.subject).toMatch(/CN=dev-1/);
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(join(out, 'device.key'))))).toBe(true);
    const ca = new X509Certificate(readFileSync(join(out, 'ca.crt')));
    expect(cert.verify(ca.publicKey)).toBe(true);
    const wg = readFileSync(join(out, 'wg0.conf'), 'utf8');
    const priv = /PrivateKey\s*=\s*(\S+)/.exec(wg)![1]!;
    expect(priv).not.toMatch(/REPLACE/);
    // The public key the bridge registered is the one of this private key.
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), Buffer.from(priv, 'base64')]);
    const pub = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
    const b = await bridgeDevice('dev-1');
    expect(b.wg_public_key).toBe(pub);
    expect(b.wireguard_ip).toBe(res.wireguardIp);
    expect(b.cert_serial).toBe(res.certSerial);
    // On a terminal, a device that has not reported yet shows no empty telemetry rows.
    const view = await runCli(['device', 'show', 'dev-1', '--context', 'local-acme'], { env: t.env, tty: true });
    expect(view.stdout).toMatch(/^WireGuard IP: +10\./m);
    expect(view.stdout).toContain(`WireGuard key:  ${pub}\n`);
    expect(view.stdout).not.toMatch(/^(CPU|Disk|SW version|Last seen):/m);
    // The same directory again: refused, nothing overwritten.
    const again = await cli(['device', 'enroll', 'dev-1', '--generate', '--out', out]);
    expect(again.code).toBe(5);
  }, 30_000);

  it('--csr: the device keeps its key; CN ≠ id and malformed CSRs are exit 2 with nothing sent', async () => {
    const key = generateEcKey();
    writeFileSync(join(dir, 'dev-2.csr'), createCsr(key.pair, 'dev-2', []));
    writeFileSync(join(dir, 'other.csr'), createCsr(key.pair, 'someone-else', []));
    writeFileSync(join(dir, 'bad.csr'), '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n');
    const r = await cli(['device', 'enroll', 'dev-2', '--csr', join(dir, 'dev-2.csr'), '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(new X509Certificate(r.json().certificate).subject).toMatch(/CN=dev-2/);
    expect(r.json().wireguardConfig).toMatch(/REPLACE_WITH_DEVICE_PRIVATE_KEY/);
    // Without its WireGuard key the bridge adds no peer: said, even though the enrollment worked.
    expect(r.stderr).toBe('warning: no WireGuard public key was given, so the bridge added no peer for dev-2: its tunnel cannot come up, and wg0.conf holds a placeholder for the private key. Enroll it again with --wg-public-key <the device\'s `wg pubkey`>\n');
    const keylessView = await runCli(['device', 'show', 'dev-2', '--context', 'local-acme'], { env: t.env, tty: true });
    expect(keylessView.stdout).toMatch(/^WireGuard key: +none: the bridge has no peer for this device/m);
    // A table has no room for the certificate: without --out (or -o json) nothing is enrolled.
    const serial = (await bridgeDevice('dev-2')).cert_serial;
    const table = await cli(['device', 'enroll', 'dev-2', '--csr', join(dir, 'dev-2.csr')]);
    expect(table.code).toBe(2);
    expect(table.stderr).toMatch(/with --csr, say where the certificate goes: --out <dir> writes device\.crt, ca\.crt and wg0\.conf; -o json/);
    expect((await bridgeDevice('dev-2')).cert_serial).toBe(serial);
    const saved = await cli(['device', 'enroll', 'dev-2', '--csr', join(dir, 'dev-2.csr'), '--out', join(dir, 'dev-2')]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stderr).not.toMatch(/not saved/);
    // Enrolled again: the earlier certificate is still valid, and the warning says how to revoke it.
    expect(saved.stderr).toContain(`warning: dev-2 was enrolled before (serial ${serial}, valid until `);
    expect(saved.stderr).toContain(`cdm cert revoke ${serial} --reason superseded --confirm ${serial}`);
    expect(new X509Certificate(readFileSync(join(dir, 'dev-2', 'device.crt'))).subject).toMatch(/CN=dev-2/);

    // With the device's WireGuard key: registered at the bridge, no warning. A malformed key is exit 2, nothing sent.
    const wgKey = generateWgKeyPair().publicKey;
    writeFileSync(join(dir, 'dev-4.csr'), createCsr(generateEcKey().pair, 'dev-4', []));
    const badKey = await cli(['device', 'enroll', 'dev-4', '--csr', join(dir, 'dev-4.csr'), '--wg-public-key', 'not-a-key', '-o', 'json']);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/--wg-public-key: \\"not-a-key\\" is not a WireGuard public key/);
    expect(await bridgeDevice('dev-4')).toBeUndefined();
    const withKey = await cli(['device', 'enroll', 'dev-4', '--csr', join(dir, 'dev-4.csr'), '--wg-public-key', wgKey, '-o', 'json']);
    expect(withKey.code, withKey.stderr).toBe(0);
    expect(withKey.stderr).toBe('');
    expect((await bridgeDevice('dev-4')).wg_public_key).toBe(wgKey);

    const wrong = await cli(['device', 'enroll', 'dev-3', '--csr', join(dir, 'other.csr'), '-o', 'json']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/common name is \\"someone-else\\", not the device id \\"dev-3\\"/);
    const bad = await cli(['device', 'enroll', 'dev-3', '--csr', join(dir, 'bad.csr'), '--out', join(dir, 'dev-3')]);
    expect(bad.code).toBe(2);
    expect(await bridgeDevice('dev-3')).toBeUndefined();
    expect((await cli(['device', 'enroll', 'dev-3'])).code).toBe(2);
    expect((await cli(['device', 'enroll', 'dev 3', '--generate', '--out', join(dir, 'x')])).code).toBe(2);
    expect((await cli(['device', 'enroll', 'dev-3', '--generate'])).code).toBe(2);
    // An --out that cannot be made is found out before the bridge is asked (the key would be lost).
    writeFileSync(join(dir, 'plain.txt'), 'x\n');
    const underFile = await cli(['device', 'enroll', 'dev-3', '--generate', '--out', join(dir, 'plain.txt', 'dev-3')]);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toContain(`--out ${join(dir, 'plain.txt', 'dev-3')}: ${join(dir, 'plain.txt')} is not a directory`);
    expect(await bridgeDevice('dev-3')).toBeUndefined();
  }, 30_000);
});

describe('cdm device enroll --from-file', () => {
  it('names the bad row; --continue-on-error enrolls the rest (exit 6); a re-run resumes', async () => {
    const csv = join(dir, 'fleet.csv');
    writeFileSync(csv, ['id,name,type', 'bulk-1,Pump 1,pump', 'bulk-2,,', 'bulk 3,Bad,pump', 'bulk-4,Pump 4,pump,extra', 'bulk-5,"Pump, five",pump', ''].join('\n'));
    const out = join(dir, 'fleet');
    const refused = await cli(['device', 'enroll', '--from-file', csv, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 4: invalid device id "bulk 3"/);
    expect(refused.stderr).toMatch(/line 5: 4 fields, the header has 3/);
    expect(await bridgeDevice('bulk-1')).toBeUndefined();

    const r = await cli(['device', 'enroll', '--from-file', csv, '--out', out, '--concurrency', '2', '--continue-on-error']);
    expect(r.code, r.stderr).toBe(6);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines.filter((l) => l.outcome === 'enrolled').map((l) => l.id).sort()).toEqual(['bulk-1', 'bulk-2', 'bulk-5']);
    expect(lines.filter((l) => l.outcome === 'failed').map((l) => l.line)).toEqual([4, 5]);
    expect(r.stderr).toMatch(/run the same command again: the 3 enrolled devices are skipped/);
    expect(existsSync(join(out, 'bulk-5', 'device.key'))).toBe(true);
    expect((await bridgeDevice('bulk-5')).wireguard_ip).toBeTruthy();

    // The file fixed: only the two new devices are enrolled, the others skipped.
    writeFileSync(csv, ['id,name,type', 'bulk-1,Pump 1,pump', 'bulk-2,,', 'bulk-3,Ok,pump', 'bulk-4,Pump 4,pump', 'bulk-5,"Pump, five",pump'].join('\n'));
    const again = await cli(['device', 'enroll', '--from-file', csv, '--out', out, '--concurrency', '3', '-o', 'json']);
    expect(again.code, again.stderr).toBe(0);
    const items = again.json().items as { id: string; outcome: string }[];
    expect(items.filter((i) => i.outcome === 'skipped').map((i) => i.id).sort()).toEqual(['bulk-1', 'bulk-2', 'bulk-5']);
    expect(items.filter((i) => i.outcome === 'enrolled').map((i) => i.id).sort()).toEqual(['bulk-3', 'bulk-4']);

    // The names and types of the file are what the fleet views show.
    const listed = (await cli(['device', 'list', '--all', '-o', 'json'])).json().items as { id: string; name: string | null; type: string | null }[];
    expect(listed.find((d) => d.id === 'bulk-5')).toMatchObject({ name: 'Pump, five', type: 'pump' });
    expect(listed.find((d) => d.id === 'bulk-2')).toMatchObject({ name: 'bulk-2', type: 'generic' });
    const shown = await cli(['device', 'show', 'bulk-5']);
    expect(shown.stdout).toMatch(/^Name\tPump, five$/m);
    expect(shown.stdout).toMatch(/^Type\tpump$/m);
    expect((await cli(['device', 'list', '--all', '-o', 'wide'])).stdout).toMatch(/^bulk-5\tPump, five\tpump\t/m);

    // A recorded device whose files are gone is enrolled again (same address); one with half its files is refused, not skipped.
    const ipBefore = (await bridgeDevice('bulk-1')).wireguard_ip;
    rmSync(join(out, 'bulk-1'), { recursive: true });
    rmSync(join(out, 'bulk-2', 'device.crt'));
    const lost = await cli(['device', 'enroll', '--from-file', csv, '--out', out, '--continue-on-error', '-o', 'json']);
    expect(lost.code).toBe(6);
    const lostItems = lost.json().items as { id: string; outcome: string; error: string | null; wireguardIp: string }[];
    expect(lostItems.find((i) => i.id === 'bulk-1')).toMatchObject({ outcome: 'enrolled', wireguardIp: ipBefore });
    expect(lostItems.find((i) => i.id === 'bulk-2')).toMatchObject({ outcome: 'failed' });
    expect(lostItems.find((i) => i.id === 'bulk-2')!.error).toMatch(/device\.key already exists; refusing to overwrite/);
    expect(lostItems.filter((i) => i.outcome === 'skipped').map((i) => i.id).sort()).toEqual(['bulk-3', 'bulk-4', 'bulk-5']);
    expect(existsSync(join(out, 'bulk-1', 'device.key'))).toBe(true);

    const jsonl = join(dir, 'more.jsonl');
    writeFileSync(jsonl, '{"id":"j-1","type":"gw","site":"hall 2"}\nnot json\n{"name":"no id"}\n');
    const j = await cli(['device', 'enroll', '--from-file', jsonl, '--out', out, '--continue-on-error']);
    expect(j.code).toBe(6);
    expect(j.stderr).toContain(`${jsonl}: ignoring "site"; a device row has id,`);
    const jl = j.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(jl.map((x) => [x.line, x.outcome])).toEqual(expect.arrayContaining([[1, 'enrolled'], [2, 'failed'], [3, 'failed']]));

    // cdm's journal names the file of a bulk run (it has no device id argument).
    const journal = readFileSync(join(t.env.CDM_STATE_DIR!, 'journal.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.at(-1)).toMatchObject({ command: 'cdm device enroll', outcome: 'failure', exitCode: 6, targets: [jsonl] });
    const dry = await cli(['device', 'enroll', '--from-file', csv, '--out', out, '--dry-run', '-o', 'json']);
    expect(dry.json().summary).toMatch(/enroll 0 devices .*5 already enrolled/);
  }, 60_000);

  it('an interrupted run says what took effect and how to go on (exit 130); the re-run resumes', async () => {
    const csv = join(dir, 'cut.csv');
    writeFileSync(csv, ['id', ...Array.from({ length: 300 }, (_, i) => `cut-${String(i + 1).padStart(3, '0')}`)].join('\n'));
    const journal = join(t.env.CDM_STATE_DIR!, 'devices', 'local-acme', 'enrolled.jsonl');
    const recorded = (): number => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"cut-')).length : 0);
    const interrupt = new AbortController();
    // Ctrl-C once a few devices are recorded.
    const watch = setInterval(() => { if (recorded() >= 5) interrupt.abort(); }, 5);
    const r = await runCli(['device', 'enroll', '--from-file', csv, '--out', join(dir, 'cut'), '--concurrency', '2', '--context', 'local-acme'], { env: t.env, interrupt: interrupt.signal });
    clearInterval(watch);
    expect(r.code).toBe(130);
    const done = r.stdout.trim().split('\n').filter(Boolean).length;
    expect(done).toBeGreaterThanOrEqual(5);
    expect(done).toBeLessThan(300);
    expect(r.stderr).toMatch(new RegExp(`error: interrupted: ${done} devices enrolled \\(recorded: a re-run skips them\\), \\d cut off in flight, \\d+ not started`));
    expect(r.stderr).toMatch(/hint: run the same command again to go on/);
    const cdmJournal = readFileSync(join(t.env.CDM_STATE_DIR!, 'journal.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(cdmJournal.at(-1)).toMatchObject({ command: 'cdm device enroll', outcome: 'interrupted', exitCode: 130, targets: [csv] });
    const again = await cli(['device', 'enroll', '--from-file', csv, '--out', join(dir, 'cut'), '--concurrency', '8', '-o', 'json']);
    expect(again.code, again.stderr).toBe(0);
    const items = again.json().items as { outcome: string }[];
    expect(items.filter((i) => i.outcome === 'skipped')).toHaveLength(done);
    expect(items.filter((i) => i.outcome === 'enrolled')).toHaveLength(300 - done);
  }, 60_000);

  it('stops at the first failing device without --continue-on-error; the others are not started', async () => {
    const key = generateEcKey();
    writeFileSync(join(dir, 'mismatch.csr'), createCsr(key.pair, 'not-s-2', []));
    const csv = join(dir, 'stop.csv');
    writeFileSync(csv, ['id,csr', 's-1,', `s-2,${join(dir, 'mismatch.csr')}`, 's-3,', 's-4,'].join('\n'));
    const out = join(dir, 'stop');
    const r = await cli(['device', 'enroll', '--from-file', csv, '--out', out, '--concurrency', '1']);
    expect(r.code).toBe(6);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.outcome])).toEqual([['s-1', 'enrolled'], ['s-2', 'failed']]);
    expect(lines[1].error).toMatch(/common name is "not-s-2"/);
    expect(r.stderr).toMatch(/not started 2/);
    expect(r.stderr).toMatch(/run the same command again: the 1 enrolled device is skipped \(--continue-on-error/);
    expect(await bridgeDevice('s-3')).toBeUndefined();
    // Nothing enrolled yet: the hint has no "0 enrolled devices are skipped".
    const only = join(dir, 'only-bad.csv');
    writeFileSync(only, ['id,csr', `s-2,${join(dir, 'mismatch.csr')}`].join('\n'));
    const none = await cli(['device', 'enroll', '--from-file', only, '--out', out]);
    expect(none.code).toBe(6);
    expect(none.stderr).toMatch(/hint: fix the cause and run the same command again \(--continue-on-error/);
  }, 30_000);
});

describe('two bulk enrollments for one context at once', () => {
  it('the second is exit 5 naming the running one, nothing enrolled; a lock its process left behind is taken over', async () => {
    const csv = join(dir, 'locked.csv');
    writeFileSync(csv, 'id\nlk-1\n');
    const lock = join(t.env.CDM_STATE_DIR!, 'devices', 'local-acme', 'bulk.lock');
    mkdirSync(join(lock, '..'), { recursive: true });
    // Another process runs a bulk enrollment for local-acme.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(lock, `${other.pid}\n`);
      const busy = await cli(['device', 'enroll', '--from-file', csv, '--out', join(dir, 'locked')]);
      expect(busy.code).toBe(5);
      expect(busy.stderr).toContain(`another bulk enrollment for context local-acme is running (pid ${other.pid}); nothing was enrolled`);
      expect(await bridgeDevice('lk-1')).toBeUndefined();
    } finally {
      other.kill();
    }
    await new Promise((r) => other.once('exit', r));
    // That process is gone: its lock no longer holds anyone back, and this run's own is released.
    const free = await cli(['device', 'enroll', '--from-file', csv, '--out', join(dir, 'locked')]);
    expect(free.code, free.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('cdm device enroll --from-file into an --out that cannot be made', () => {
  it('is exit 2 before any row, naming the file in the way', async () => {
    writeFileSync(join(dir, 'in-the-way.txt'), 'x\n');
    writeFileSync(join(dir, 'two.csv'), 'id\nway-1\nway-2\n');
    const r = await cli(['device', 'enroll', '--from-file', join(dir, 'two.csv'), '--out', join(dir, 'in-the-way.txt', 'fleet'), '--continue-on-error']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${join(dir, 'in-the-way.txt')} is not a directory`);
    expect(await bridgeDevice('way-1')).toBeUndefined();
  });
});

describe('cdm device enroll --from-file with CSRs', () => {
  it('a wg_public_key column registers each device\'s own WireGuard key at the bridge', async () => {
    const rows = ['id,csr,wg_public_key'];
    const keys: Record<string, string> = {};
    for (const id of ['csr-1', 'csr-2']) {
      writeFileSync(join(dir, `${id}.csr`), createCsr(generateEcKey().pair, id, []));
      keys[id] = generateWgKeyPair().publicKey;
      rows.push(`${id},${join(dir, `${id}.csr`)},${keys[id]}`);
    }
    writeFileSync(join(dir, 'csrs.csv'), `${rows.join('\n')}\n`);
    const r = await cli(['device', 'enroll', '--from-file', join(dir, 'csrs.csv'), '--out', join(dir, 'csr-fleet')]);
    expect(r.code, r.stderr).toBe(0);
    for (const id of ['csr-1', 'csr-2']) expect((await bridgeDevice(id)).wg_public_key).toBe(keys[id]);
    expect(r.stderr).not.toContain('warning');
    // Without the column: enrolled, and one warning names the devices left without a peer.
    writeFileSync(join(dir, 'csr-3.csr'), createCsr(generateEcKey().pair, 'csr-3', []));
    writeFileSync(join(dir, 'keyless.csv'), `id,csr\ncsr-3,${join(dir, 'csr-3.csr')}\n`);
    const keyless = await cli(['device', 'enroll', '--from-file', join(dir, 'keyless.csv'), '--out', join(dir, 'csr-fleet')]);
    expect(keyless.code, keyless.stderr).toBe(0);
    expect(keyless.stderr).toContain('warning: 1 device enrolled from a CSR without a wg_public_key (csr-3): the bridge added no WireGuard peer for them');
  }, 30_000);

  it('a relative csr path is read beside the device file, not in the directory cdm runs from', async () => {
    const fleet = join(dir, 'handover');
    mkdirSync(join(fleet, 'csrs'), { recursive: true });
    writeFileSync(join(fleet, 'csrs', 'rel-csr-1.csr'), createCsr(generateEcKey().pair, 'rel-csr-1', []));
    writeFileSync(join(fleet, 'fleet.csv'), 'id,csr\nrel-csr-1,csrs/rel-csr-1.csr\n');
    const r = await cli(['device', 'enroll', '--from-file', join(fleet, 'fleet.csv'), '--out', join(fleet, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).outcome).toBe('enrolled');
  });
});

describe('"-" reads stdin', () => {
  const piped = (args: string[], stdin: string, tty = false) => runCli([...args, '--context', 'local-acme'], { env: t.env, stdin, tty });

  it('--csr - enrolls from a CSR on stdin; a terminal on stdin is refused before anything is sent', async () => {
    const key = generateEcKey();
    const r = await piped(['device', 'enroll', 'pipe-1', '--csr', '-', '-o', 'json'], createCsr(key.pair, 'pipe-1', []));
    expect(r.code, r.stderr).toBe(0);
    expect(new X509Certificate(r.json().certificate).subject).toMatch(/CN=pipe-1/);
    const wrong = await piped(['device', 'enroll', 'pipe-2', '--csr', '-', '-o', 'json'], createCsr(key.pair, 'pipe-9', []));
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stderr).error.message).toBe('stdin: the CSR\'s common name is "pipe-9", not the device id "pipe-2"');
    const terminal = await piped(['device', 'enroll', 'pipe-2', '--csr', '-', '-o', 'json'], '', true);
    expect(terminal.code).toBe(2);
    expect(JSON.parse(terminal.stderr).error.message).toContain('--csr - reads from a pipe or a redirect');
    expect(await bridgeDevice('pipe-2')).toBeUndefined();
  });

  it('--from-file - takes CSV, or JSON Lines when the first line opens an object; a row cannot name stdin as its CSR', async () => {
    const csv = await piped(['device', 'enroll', '--from-file', '-', '--out', join(dir, 'piped')], 'id,name\npipe-csv-1,One\n');
    expect(csv.code, csv.stderr).toBe(0);
    expect(JSON.parse(csv.stdout)).toMatchObject({ id: 'pipe-csv-1', line: 2, outcome: 'enrolled' });
    const jsonl = await piped(['device', 'enroll', '--from-file', '-', '--out', join(dir, 'piped')], '{"id":"pipe-json-1"}\n');
    expect(jsonl.code, jsonl.stderr).toBe(0);
    expect(JSON.parse(jsonl.stdout)).toMatchObject({ id: 'pipe-json-1', line: 1, outcome: 'enrolled' });
    const plan = await piped(['device', 'enroll', '--from-file', '-', '--out', join(dir, 'piped'), '--dry-run'], 'id\npipe-csv-1\npipe-csv-2\n');
    expect(plan.stdout.split('\n')[0]).toBe('Dry run: enroll 1 device from stdin at the tenant bridge (1 already enrolled, 0 bad rows) (context local-acme)');
    const dash = await piped(['device', 'enroll', '--from-file', '-', '--out', join(dir, 'piped')], 'id,csr\npipe-csv-3,-\n');
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain('stdin: line 2: csr "-": give the path of the device\'s CSR file');
    expect(await bridgeDevice('pipe-csv-3')).toBeUndefined();
  });
});

describe('on a provider context', () => {
  it('enroll, bulk enroll, their plans and delete/isolate are exit 2 naming the context kind: no key made, no file, nothing sent', async () => {
    const provider = (args: string[]) => runCli([...args, '--context', 'local-provider'], { env: t.env });
    const log = join(t.stateDir, 'sandbox.log');
    const before = readFileSync(log, 'utf8').length;
    const csv = join(dir, 'provider-fleet.csv');
    writeFileSync(csv, 'id\npv-1\npv-2\n');
    for (const args of [
      ['device', 'enroll', 'pv-1', '--generate', '--out', join(dir, 'pv-1')],
      ['device', 'enroll', 'pv-1', '--generate', '--out', join(dir, 'pv-1'), '--dry-run'],
      ['device', 'enroll', '--from-file', csv, '--out', join(dir, 'pv-fleet'), '--continue-on-error'],
      ['device', 'delete', 'pv-1', '--yes'],
      ['device', 'isolate', 'pv-1', '--reason', 'x', '--confirm', 'pv-1', '--dry-run'],
    ]) {
      const r = await provider(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('context "local-provider" is a provider context; devices are enrolled and managed at a tenant\'s bridge');
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'pv-1'))).toBe(false);
    // On a tenant context the plan names the context once (the renderer adds it).
    expect((await cli(['device', 'enroll', 'pv-9', '--generate', '--out', join(dir, 'pv-9'), '--dry-run'])).stdout.split('\n')[0]).toBe('Dry run: enroll device pv-9 at the tenant bridge (context local-acme)');
    expect(existsSync(join(dir, 'pv-fleet'))).toBe(false);
    await new Promise((r) => setTimeout(r, 150)); // the request log is a write stream
    expect(readFileSync(log, 'utf8').slice(before).split('\n').filter((l) => l.includes(' POST ') || l.includes(' DELETE ') || l.includes('/devices'))).toEqual([]);
  });

  it('the ThingsBoard and hawkBit views say that those run in tenant stacks, not that a URL is missing', async () => {
    for (const [args, service] of [
      [['device', 'list'], 'ThingsBoard'],
      [['device', 'health'], 'ThingsBoard'],
      [['device', 'alarms'], 'ThingsBoard'],
      [['rollout', 'list'], 'hawkBit'],
    ] as const) {
      const r = await runCli([...args, '--context', 'local-provider'], { env: t.env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`context "local-provider" is a provider context; ${service} runs in each tenant's stack`);
      expect(r.stderr).toContain('hint: pass --context <tenant context>');
    }
  });
});
