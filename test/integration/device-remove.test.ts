// cdm device delete and isolate against the in-process sandbox: every service cleaned, the
// certificate revoked, the refusals, and a step that fails (ThingsBoard unreachable through a
// wrong URL in the context) and is then resumed.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/temp.js';

let t: TestSandbox;
let dir: string;
beforeAll(async () => {
  t = await startTestSandbox();
  dir = tempDir('cdm-remove-');
  for (const id of ['del-1', 'iso-1', 'iso-2', 'iso-3']) {
    const r = await cli(['device', 'enroll', id, '--generate', '--out', join(dir, id)]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 30_000);
afterAll(async () => { await t?.close(); });

const cli = (args: string[]) => runCli([...args, '--context', 'local-acme'], { env: t.env });
const show = async (id: string): Promise<any> => {
  const r = await cli(['device', 'show', id, '-o', 'json']);
  return r.code === 0 ? r.json() : r.code;
};
const configFile = (): string => join(t.env.CDM_CONFIG_DIR!, 'config.json');

describe('cdm device health (offline devices)', () => {
  it('reports enrolled devices that never connected as offline, before any threshold breach', async () => {
    const r = await cli(['device', 'health', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const items = r.json().items as { id: string; online: boolean; neverActive: boolean; offlineForMs: number; problems: string[] }[];
    expect(items.map((i) => i.id).sort()).toEqual(['del-1', 'iso-1', 'iso-2', 'iso-3']);
    for (const i of items) {
      expect(i.problems).toEqual([expect.stringMatching(/^offline \(never active, created \d+[smh]\w* ago\)$/)]);
      expect(i).toMatchObject({ online: false, neverActive: true, offlineForMs: expect.any(Number) });
    }
    // Enrolled moments ago: never active, but not yet offline for an hour.
    const hour = await cli(['device', 'health', '--offline-for', '1h', '-o', 'json']);
    expect(hour.json().items).toEqual([]);
    const list = await cli(['device', 'list', '--offline', '-o', 'json']);
    expect(list.json().items).toHaveLength(4);
    expect((await cli(['device', 'list', '--online', '-o', 'json'])).json().items).toHaveLength(0);
  }, 30_000);
});

describe('cdm device delete', () => {
  it('removes the device everywhere; asks first; a second time is exit 3', async () => {
    const before = await show('del-1');
    expect(before.thingsboard).not.toBeNull();
    expect(before.hawkbit).not.toBeNull();
    const serial = before.bridge.cert_serial as string;
    const noInput = await cli(['device', 'delete', 'del-1', '--no-input']);
    expect(noInput.code).toBe(2);
    const dry = await cli(['device', 'delete', 'del-1', '--dry-run', '-o', 'json']);
    expect(dry.json().steps.map((s: { service: string }) => s.service)).toEqual(['bridge', 'thingsboard', 'hawkbit']);
    const r = await cli(['device', 'delete', 'del-1', '--yes', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().items.map((s: { step: string; status: string }) => [s.step, s.status])).toEqual([
      ['remove-wireguard-peer', 'done'], ['delete-thingsboard', 'done'], ['delete-hawkbit', 'done'],
    ]);
    // The certificate outlives the device: the warning names its serial, since --device no longer can.
    expect(r.stderr).toContain(`The certificate of del-1 (serial ${serial}, valid until ${before.bridge.cert_not_after}) was not revoked: \`cdm cert revoke ${serial} --reason cessationOfOperation --confirm ${serial}\` revokes it`);
    expect(await show('del-1')).toBe(3);
    const second = await cli(['device', 'delete', 'del-1', '--yes']);
    expect(second.code).toBe(3);
    // cdm's journal knows who took it out: the not-found error says so, not only "known to none".
    expect(second.stderr).toMatch(/device "del-1" is known to none of the bridge, ThingsBoard and hawkBit: cdm deleted it at \S+Z \(by [^),]+\)\n/);
  }, 30_000);
});

describe('cdm device isolate', () => {
  it('revokes the certificate and removes the device everywhere (severe confirmation by device id)', async () => {
    const before = (await show('iso-1')).bridge;
    const serial = before.cert_serial as string;
    expect((await cli(['device', 'isolate', 'iso-1', '--reason', 'stolen', '--yes'])).code).toBe(2);
    expect((await cli(['device', 'isolate', 'iso-1', '--reason', 'stolen', '--confirm', 'iso-2'])).code).not.toBe(0);
    const dry = await cli(['device', 'isolate', 'iso-1', '--reason', 'stolen', '--dry-run']);
    // Each step reads as a sentence ending in the device id.
    expect(dry.stdout.split('\n').slice(1, 7)).toEqual([
      '  1. read from the bridge the certificate serial and WireGuard peer of iso-1 [bridge]',
      '  2. revoke (keyCompromise; passive at step-ca) the device certificate of iso-1 [step-ca]',
      '  3. revoke the earlier certificates cdm enrolled or issued, still valid, of iso-1 [step-ca]',
      '  4. remove at the bridge the WireGuard peer and address of iso-1 [bridge]',
      '  5. delete the ThingsBoard device iso-1 [thingsboard]',
      '  6. delete the hawkBit target iso-1 [hawkbit]',
    ]);
    // The plan's first line names the context once (the renderer adds it).
    expect(dry.stdout.split('\n')[0]).toMatch(/^Dry run: isolate device iso-1 \(reason: stolen\) \(context [^)]+\)$/);
    const r = await cli(['device', 'isolate', 'iso-1', '--reason', 'stolen', '--confirm', 'iso-1', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const steps = r.json().items as { step: string; status: string; detail: string }[];
    expect(steps.map((s) => [s.step, s.status])).toEqual([
      ['lookup', 'done'], ['revoke-certificate', 'done'], ['revoke-earlier-certificates', 'skipped'], ['remove-wireguard-peer', 'done'], ['delete-thingsboard', 'done'], ['delete-hawkbit', 'done'],
    ]);
    expect(steps[2]!.detail).toBe('cdm\'s records hold no other valid certificate of iso-1');
    expect(steps[1]!.detail).toContain(serial);
    // cdm's certificate inventory names the device and keeps the expiry the bridge had recorded.
    const revoked = (await cli(['cert', 'list', '--revoked', '-o', 'json'])).json().items as any[];
    expect(revoked.find((c) => c.serial === serial)).toMatchObject({ commonName: 'iso-1', notAfter: before.cert_not_after, status: 'revoked' });
    expect(await show('iso-1')).toBe(3);
    const gone = await cli(['device', 'show', 'iso-1']);
    expect(gone.stderr).toMatch(/device "iso-1" is known to none of ThingsBoard, hawkBit and the bridge: cdm isolated it at \S+Z \(by .+, reason: stolen\)/);
    expect(gone.stderr).toContain('hint: what happened to it: cdm audit export --device iso-1');
    const trail = (await cli(['audit', 'export', '--device', 'iso-1', '-o', 'json'])).json().items as any[];
    expect(trail.find((e) => e.action === 'cdm device isolate' && e.outcome === 'success')?.details).toMatchObject({ reason: 'stolen' });
    // step-ca logs the revocation by serial alone: the device's trail still has it.
    expect(trail.find((e) => e.source === 'step-ca' && e.action === 'certificate.revoke')?.target).toBe(serial);
    // step-ca knows: revoking the same serial again is a conflict.
    const again = await cli(['cert', 'revoke', serial, '--reason', 'keyCompromise', '--confirm', serial]);
    expect(again.code).toBe(5);
    expect((await cli(['device', 'isolate', 'iso-1', '--reason', 'x', '--confirm', 'iso-1'])).code).toBe(3);
    expect((await cli(['device', 'isolate', 'iso-1', '--confirm', 'iso-1'])).code).toBe(2);
  }, 30_000);

  it('a failing step is named (exit 6); the re-run skips the finished steps and completes', async () => {
    const original = readFileSync(configFile(), 'utf8');
    const doc = JSON.parse(original);
    doc.contexts['local-acme'].thingsboard.url = 'http://127.0.0.1:9';
    writeFileSync(configFile(), JSON.stringify(doc));
    let r;
    try {
      r = await cli(['device', 'isolate', 'iso-2', '--reason', 'compromised', '--confirm', 'iso-2', '-o', 'json']);
    } finally {
      writeFileSync(configFile(), original);
    }
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/step delete-thingsboard \[thingsboard\] failed/);
    expect(r.stderr).toMatch(/run `cdm device isolate iso-2/);
    const first = r.json().items as { step: string; status: string }[];
    expect(first.map((s) => [s.step, s.status])).toEqual([
      ['lookup', 'done'], ['revoke-certificate', 'done'], ['revoke-earlier-certificates', 'skipped'], ['remove-wireguard-peer', 'done'], ['delete-thingsboard', 'failed'], ['delete-hawkbit', 'done'],
    ]);
    const left = await show('iso-2');
    expect(left.thingsboard).not.toBeNull();
    expect(left.bridge).toBeNull();

    const plan = await cli(['device', 'isolate', 'iso-2', '--reason', 'compromised', '--dry-run']);
    expect(plan.stdout).toMatch(/resuming/);
    const resumed = await cli(['device', 'isolate', 'iso-2', '--reason', 'compromised', '--confirm', 'iso-2', '-o', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const second = resumed.json().items as { step: string; status: string; detail: string }[];
    expect(second.map((s) => [s.step, s.status])).toEqual([
      ['lookup', 'skipped'], ['revoke-certificate', 'skipped'], ['revoke-earlier-certificates', 'skipped'], ['remove-wireguard-peer', 'skipped'], ['delete-thingsboard', 'done'], ['delete-hawkbit', 'skipped'],
    ]);
    expect(second[1]!.detail).toMatch(/finished by an earlier run/);
    expect(await show('iso-2')).toBe(3);
  }, 30_000);

  it('a wrong provisioner password fails the revocation clearly; the other steps go on; the re-run revokes', async () => {
    const credFile = join(t.env.CDM_CONFIG_DIR!, 'credentials.json');
    const original = readFileSync(credFile, 'utf8');
    const doc = JSON.parse(original);
    doc.contexts['local-acme'].services.stepca.secret = 'not-the-password';
    writeFileSync(credFile, JSON.stringify(doc));
    let r;
    try {
      r = await cli(['device', 'isolate', 'iso-3', '--reason', 'lost', '--confirm', 'iso-3', '-o', 'json']);
    } finally {
      writeFileSync(credFile, original);
    }
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/step revoke-certificate \[step-ca\] failed: .*(password|decrypt)/i);
    expect((r.json().items as { status: string }[]).map((s) => s.status)).toEqual(['done', 'failed', 'skipped', 'done', 'done', 'done']);
    const resumed = await cli(['device', 'isolate', 'iso-3', '--reason', 'lost', '--confirm', 'iso-3', '-o', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((resumed.json().items as { step: string; status: string }[]).map((s) => s.status)).toEqual(['skipped', 'done', 'skipped', 'skipped', 'skipped', 'skipped']);
  }, 30_000);
});

describe('deleting a device enrolled more than once', () => {
  it('names the earlier certificates cdm recorded that stay valid too', async () => {
    const first = await cli(['device', 'enroll', 'del-2', '--generate', '--out', join(dir, 'del-2a'), '-o', 'json']);
    expect(first.code, first.stderr).toBe(0);
    expect((await cli(['device', 'enroll', 'del-2', '--generate', '--out', join(dir, 'del-2b')])).code).toBe(0);
    const r = await cli(['device', 'delete', 'del-2', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`cdm also recorded 1 earlier certificate of del-2 that is still valid (${first.json().certSerial}): \`cdm cert list --device del-2\` lists them.`);
  }, 30_000);
});

describe('isolating a device enrolled more than once', () => {
  it('revokes its earlier certificates too: a thief with an older key is not trusted either', async () => {
    const first = await cli(['device', 'enroll', 'iso-4', '--generate', '--out', join(dir, 'iso-4a'), '-o', 'json']);
    expect(first.code, first.stderr).toBe(0);
    const second = await cli(['device', 'enroll', 'iso-4', '--generate', '--out', join(dir, 'iso-4b'), '-o', 'json']);
    expect(second.code, second.stderr).toBe(0);
    const [old, current] = [first.json().certSerial as string, second.json().certSerial as string];
    const r = await cli(['device', 'isolate', 'iso-4', '--reason', 'stolen', '--confirm', 'iso-4', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const steps = r.json().items as { step: string; status: string; detail: string }[];
    expect(steps[1]).toMatchObject({ step: 'revoke-certificate', status: 'done', detail: expect.stringContaining(current) });
    expect(steps[2]).toMatchObject({ step: 'revoke-earlier-certificates', status: 'done', detail: `serial ${old} revoked (keyCompromise)` });
    const revoked = ((await cli(['cert', 'list', '--revoked', '-o', 'json'])).json().items as { serial: string }[]).map((c) => c.serial);
    expect(revoked).toEqual(expect.arrayContaining([old, current]));
    // step-ca agrees: the old serial is revoked there (a second revocation is a conflict).
    expect((await cli(['cert', 'revoke', old, '--reason', 'keyCompromise', '--confirm', old])).code).toBe(5);
  }, 30_000);
});

describe('a bulk re-run after a device was removed', () => {
  it('enrolls an isolated or deleted device again instead of skipping it as enrolled (its old files are never overwritten)', async () => {
    const csv = join(dir, 'fleet.csv');
    writeFileSync(csv, 'id\nbulk-1\nbulk-2\nbulk-3\n');
    const out = join(dir, 'fleet');
    const enroll = async (): Promise<{ code: number; items: Record<string, { outcome: string; error: string | null }> }> => {
      const r = await cli(['device', 'enroll', '--from-file', csv, '--out', out, '--continue-on-error']);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; outcome: string; error: string | null });
      return { code: r.code, items: Object.fromEntries(lines.map((l) => [l.id, l])) };
    };
    expect((await enroll()).code).toBe(0);
    expect((await cli(['device', 'isolate', 'bulk-1', '--reason', 'stolen', '--confirm', 'bulk-1'])).code).toBe(0);
    expect((await cli(['device', 'delete', 'bulk-2', '--yes'])).code).toBe(0);

    // The removed devices are not skipped; their old key and certificate are still in place, so cdm refuses to overwrite them.
    const again = await enroll();
    expect(again.code).toBe(6);
    expect(again.items['bulk-3']!.outcome).toBe('skipped');
    for (const id of ['bulk-1', 'bulk-2']) {
      expect(again.items[id]).toMatchObject({ outcome: 'failed' });
      expect(again.items[id]!.error).toMatch(/already exists; refusing to overwrite/);
    }

    for (const id of ['bulk-1', 'bulk-2']) renameSync(join(out, id), join(dir, `${id}.old`));
    const third = await enroll();
    expect(third.code).toBe(0);
    expect([third.items['bulk-1']!.outcome, third.items['bulk-2']!.outcome, third.items['bulk-3']!.outcome]).toEqual(['enrolled', 'enrolled', 'skipped']);
    expect((await show('bulk-1')).bridge).not.toBeNull();
  }, 60_000);
});

describe('a malformed device id', () => {
  it('is exit 2 with the rule, and nothing is sent, for delete, isolate and cert revoke --device', async () => {
    const log = join(t.stateDir, 'sandbox.log');
    const before = readFileSync(log, 'utf8').length;
    for (const args of [['device', 'delete', 'bad id', '--yes'], ['device', 'isolate', 'bad/id', '--reason', 'stolen', '--confirm', 'bad/id'], ['cert', 'revoke', '--device', 'a;b', '--reason', 'keyCompromise', '--confirm', 'a;b']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/invalid device id ".+": letters, digits and \. _ : - \(at most 128, starting with a letter or digit\)/);
    }
    expect(readFileSync(log, 'utf8').slice(before)).toBe('');
  });
});

describe('a bridge without DELETE /devices/{id} (upstream\'s)', () => {
  it('fails the peer step saying so, instead of passing FastAPI\'s bare 404 for "already gone"; the other steps go on (exit 6)', async () => {
    const { createServer } = await import('node:http');
    // Upstream's iot-bridge-api: FastAPI's generic answer for every /devices route.
    const upstream = createServer((_req, res) => { res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}'); });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const enrolled = await cli(['device', 'enroll', 'up-1', '--generate', '--out', join(dir, 'up-1')]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const original = readFileSync(configFile(), 'utf8');
    const doc = JSON.parse(original);
    doc.contexts['local-acme'].bridge.url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    writeFileSync(configFile(), JSON.stringify(doc));
    let r;
    try {
      r = await cli(['device', 'delete', 'up-1', '--yes', '-o', 'json']);
    } finally {
      writeFileSync(configFile(), original);
      upstream.close();
    }
    expect(r.code).toBe(6);
    const steps = r.json().items as { step: string; status: string; detail: string }[];
    const peer = steps.find((s) => s.step === 'remove-wireguard-peer')!;
    expect(peer.status).toBe('failed');
    expect(peer.detail).toMatch(/does not provide DELETE \/devices\/\{id\} .*the WireGuard peer of up-1 is still in place/);
    expect(steps.filter((s) => s.step !== 'remove-wireguard-peer').every((s) => s.status === 'done')).toBe(true);
    // The real bridge still holds the peer.
    expect((await show('up-1')).bridge).toMatchObject({ device_id: 'up-1' });
  });
});
