import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { CancelError, CdmError, PartialFailure, UsageError } from '../../src/core/errors.js';
import { outputPath, parsePositiveInt } from '../../src/core/parse.js';
import type { View } from '../../src/core/output.js';
import type { EnrollResult } from '../../src/workflows/device/enroll.js';
import type { BulkSummary } from '../../src/workflows/device/bulk.js';
import { count } from '../../src/core/plural.js';
import { inputName } from '../../src/core/read-input.js';
import { checkWgPublicKey } from '../../src/pki/wireguard-keys.js';

interface Flags {
  csr?: string; generate?: boolean; out?: string; name?: string; type?: string; wgPublicKey?: string;
  fromFile?: string; concurrency?: number; continueOnError?: boolean;
}

const VIEW: View<EnrollResult> = [
  { header: 'Device', value: (r) => r.id },
  { header: 'WireGuard IP', value: (r) => r.wireguardIp },
  { header: 'Cert serial', value: (r) => r.certSerial },
  { header: 'Cert expires', value: (r) => r.certNotAfter },
  { header: 'Files', value: (r) => r.files.join(', ') },
];

function check(ctx: CommandContext): Flags {
  const fl = ctx.flags as Flags;
  const id = ctx.args.id as string | undefined;
  if (fl.fromFile !== undefined) {
    if (id !== undefined) throw new UsageError('give either a device id or --from-file, not both');
    if (fl.csr !== undefined) throw new UsageError('--csr is for one device; in --from-file give a "csr" column');
    if (fl.out === undefined) throw new UsageError('--from-file needs --out <dir>: each device\'s key, certificate and wg0.conf go to <dir>/<id>/');
    return fl;
  }
  if (id === undefined) throw new UsageError('give a device id, or --from-file <devices.csv|.jsonl>');
  if (fl.concurrency !== undefined || fl.continueOnError) throw new UsageError('--concurrency and --continue-on-error go with --from-file');
  if (fl.csr !== undefined && fl.generate) throw new UsageError('--csr and --generate exclude each other');
  if (fl.csr === undefined && !fl.generate) throw new UsageError('give the device\'s CSR with --csr <file>, or --generate --out <dir> to make its keys here');
  if (fl.generate && fl.out === undefined) throw new UsageError('--generate needs --out <dir> for the key, certificate, CA chain and wg0.conf');
  if (fl.generate && fl.wgPublicKey !== undefined) throw new UsageError('--wg-public-key goes with --csr; --generate makes the WireGuard pair here');
  if (fl.wgPublicKey !== undefined) checkWgPublicKey(fl.wgPublicKey, '--wg-public-key');
  // A table has no room for the certificate: enrolling would issue one that nobody receives.
  if (fl.csr !== undefined && fl.out === undefined && !ctx.f.output().machine) {
    throw new UsageError('with --csr, say where the certificate goes: --out <dir> writes device.crt, ca.crt and wg0.conf; -o json (or yaml, ndjson) returns them as data');
  }
  return fl;
}

export const enroll: MutatingVerb = {
  name: 'enroll',
  summary: 'Enroll devices through the tenant bridge: certificate, hawkBit target, ThingsBoard device, WireGuard peer',
  description: 'POST /devices/{id}/enroll at the tenant bridge of the context (needs a tenant-realm login with cdm-admin or cdm-operator). With --generate the device\'s EC P-256 key and its WireGuard Curve25519 pair are made here; --out receives device.key (0600), device.crt, ca.crt and wg0.conf (0600, private key filled in). With --csr the device keeps its key: the CSR\'s common name must be the device id (checked before anything is sent, exit 2), and the certificate goes to --out or, with -o json|yaml|ndjson, into the result (a table has no room for it, so that is refused before anything is sent). --from-file enrolls a CSV (header id[,name,type,csr,wg_public_key]; a csr path is relative to the file) or JSON Lines file (the same keys, string values; other columns and keys are named in a warning and not read) into <out>/<id>/ with --concurrency workers: a progress bar on stderr, one NDJSON result per device on stdout (-o json/yaml: one list at the end), exit 6 if some failed. Bad rows are named by line number: nothing is sent unless --continue-on-error, which also keeps going after failures. Enrolled devices are recorded under the state dir per context, so running the same command again resumes: devices already enrolled are skipped (not those removed since with `cdm device delete|isolate`: they are enrolled again once their old files are moved out of <out>/<id>/). One bulk enrollment runs per context at a time on this machine: a second one started meanwhile is exit 5 and enrolls nothing.',
  args: [{ name: 'id', description: 'device id (certificate CN, hawkBit controller id, ThingsBoard name)' }],
  flags: [
    { flags: '--csr <file>', description: 'the device\'s CSR (PEM or DER; - reads stdin); CN must be the device id', complete: 'files' },
    { flags: '--generate', description: 'make the device key and WireGuard keys here' },
    { flags: '--out <dir>', description: 'where the key, certificate, CA chain and wg0.conf go (bulk: <dir>/<id>/)', complete: 'files', parse: outputPath('--out', 'a directory for the device\'s files; with --csr, -o json returns them as data instead') },
    { flags: '--name <name>', description: 'device name for hawkBit (default: the id)' },
    { flags: '--type <type>', description: 'device type (default generic)' },
    { flags: '--wg-public-key <key>', description: 'with --csr: the device\'s WireGuard public key (base64)' },
    { flags: '--from-file <file>', description: 'bulk: devices.csv (header id,name,type[,csr,wg_public_key]) or devices.jsonl; - reads stdin (JSON Lines when its first line opens an object)', complete: 'files' },
    { flags: '--concurrency <n>', description: 'bulk: enrollments in flight (default 4)', parse: (v) => parsePositiveInt(v, 'concurrency') },
    { flags: '--continue-on-error', description: 'bulk: skip bad rows and keep going after a failure' },
  ],
  examples: [
    { command: 'cdm device enroll dev-0042 --generate --out ./dev-0042', description: 'keys made here; files ready to copy onto the device' },
    { command: 'cdm device enroll dev-0042 --csr dev-0042.csr --wg-public-key "$(cat wg.pub)" --out ./dev-0042', description: 'the device keeps its keys' },
    { command: 'cdm device enroll dev-0042 --csr dev-0042.csr -o json | jq -r .certificate > dev-0042.crt', description: 'the certificate as data' },
    { command: 'cdm device enroll --from-file fleet.csv --out ./fleet --concurrency 16 > results.ndjson', description: 'a batch; run it again to resume' },
  ],
  mutates: true,
  auditTarget: (ctx) => (ctx.flags as Flags).fromFile,
  async plan(ctx) {
    const fl = check(ctx);
    const { refuseProviderContext } = await import('../../src/services/bridge/request.js');
    const c = await ctx.f.context();
    refuseProviderContext(c);
    const context = c.name;
    if (fl.fromFile !== undefined) {
      const { ignoredFieldsWarning, readDeviceFile } = await import('../../src/workflows/device/input.js');
      const { EnrolledJournal } = await import('../../src/workflows/device/enrolled.js');
      const file = await readDeviceFile(fl.fromFile, ctx.f.io);
      const ignored = ignoredFieldsWarning(inputName(fl.fromFile), file);
      if (ignored) ctx.f.output().warn(ignored);
      const journal = new EnrolledJournal(ctx.f.paths.stateDir, context);
      const toEnroll = file.devices.filter((d) => !journal.get(d.id));
      return {
        summary: `enroll ${count(toEnroll.length, 'device')} from ${inputName(fl.fromFile)} at the tenant bridge (${file.devices.length - toEnroll.length} already enrolled, ${count(file.bad.length, 'bad row')})`,
        steps: [
          ...file.bad.map((b) => ({ action: 'skip bad row', target: `line ${b.line}`, details: { error: b.error } })),
          ...toEnroll.map((d) => ({ action: 'enroll', target: d.id, service: 'bridge', details: { line: d.line, out: `${fl.out}/${d.id}` } })),
        ],
      };
    }
    const id = String(ctx.args.id);
    return {
      summary: `enroll device ${id} at the tenant bridge`,
      steps: [
        ...(fl.generate ? [{ action: 'generate', target: 'EC P-256 key and WireGuard key pair', details: { out: fl.out } }] : [{ action: 'check', target: `CSR ${inputName(fl.csr!)} (CN must be ${id})` }]),
        { action: 'enroll', target: id, service: 'bridge', details: { name: fl.name ?? id, type: fl.type ?? 'generic' } },
        ...(fl.out ? [{ action: 'write', target: `${fl.out}/{device.key,device.crt,ca.crt,wg0.conf}` }] : []),
      ],
    };
  },
  async run(ctx) {
    const fl = check(ctx);
    // Checked before any key is made or any row is read: the provider's bridge has no device routes.
    const { refuseProviderContext } = await import('../../src/services/bridge/request.js');
    refuseProviderContext(await ctx.f.context());
    await (await import('../../src/workflows/tenant/revoked-sub-ca.js')).warnRevokedSubCa(ctx.f);
    if (fl.fromFile !== undefined) return bulk(ctx, fl);
    const { prepareEnrollment, enrollPrepared } = await import('../../src/workflows/device/enroll.js');
    const opts = { id: String(ctx.args.id), ...pick(fl) };
    const prepared = await prepareEnrollment(opts, ctx.f.io);
    const { EnrolledJournal, enrolledRecord } = await import('../../src/workflows/device/enrolled.js');
    const journal = new EnrolledJournal(ctx.f.paths.stateDir, (await ctx.f.context()).name);
    const earlier = journal.get(opts.id);
    const r = await enrollPrepared(ctx.f, prepared, opts);
    journal.record(enrolledRecord(r, new Date(ctx.f.clock()).toISOString()));
    journal.close();
    const out = ctx.f.output();
    await out.item('Enrollment', r, VIEW);
    if (r.out && prepared.keyPem) out.note(`The device key (${r.out}/device.key) and wg0.conf hold secrets (mode 0600): copy them onto the device, then delete them here.`);
    // Warnings, not notes: --quiet must not hide that a certificate is still valid or a tunnel cannot come up.
    if (earlier && earlier.certSerial !== r.certSerial) {
      out.warn(`warning: ${r.id} was enrolled before (serial ${earlier.certSerial}, valid until ${earlier.certNotAfter}); that certificate stays valid until it expires or is revoked: cdm cert revoke ${earlier.certSerial} --reason superseded --confirm ${earlier.certSerial}`);
    }
    if (!prepared.wg && opts.wgPublicKey === undefined) {
      out.warn(`warning: no WireGuard public key was given, so the bridge added no peer for ${r.id}: its tunnel cannot come up, and wg0.conf holds a placeholder for the private key. Enroll it again with --wg-public-key <the device's \`wg pubkey\`>`);
    }
  },
};

function pick(fl: Flags): { name?: string; type?: string; csr?: string; out?: string; wgPublicKey?: string } {
  return {
    ...(fl.name !== undefined ? { name: fl.name } : {}), ...(fl.type !== undefined ? { type: fl.type } : {}),
    ...(fl.csr !== undefined ? { csr: fl.csr } : {}), ...(fl.out !== undefined ? { out: fl.out } : {}),
    ...(fl.wgPublicKey !== undefined ? { wgPublicKey: fl.wgPublicKey } : {}),
  };
}

async function bulk(ctx: CommandContext, fl: Flags): Promise<void> {
  const f = ctx.f;
  const { ignoredFieldsWarning, readDeviceFile } = await import('../../src/workflows/device/input.js');
  const { bulkEnroll } = await import('../../src/workflows/device/bulk.js');
  const file = await readDeviceFile(fl.fromFile!, f.io);
  const ignored = ignoredFieldsWarning(inputName(fl.fromFile!), file);
  if (ignored) f.output().warn(ignored);
  // Once for the run, before any row: each device's directory goes under it.
  (await import('../../src/workflows/device/files.js')).refuseUnwritableDir(fl.out!);
  if (file.bad.length > 0 && !fl.continueOnError) {
    throw new UsageError(`${inputName(fl.fromFile!)}: ${file.bad.map((b) => `line ${b.line}: ${b.error}`).join('; ')}`, { hint: 'fix the rows, or pass --continue-on-error to enroll the others' });
  }
  const context = (await f.context()).name;
  const out = f.output();
  const collect = out.format === 'json' || out.format === 'yaml';
  const items: object[] = [];
  const bar = f.progress().bar(`enrolling ${count(file.devices.length, 'device')}`, file.devices.length);
  const write = async (item: object): Promise<void> => {
    if (collect) items.push(item);
    else await out.raw(JSON.stringify(item));
  };
  for (const b of file.bad) await write({ id: null, line: b.line, outcome: 'failed', wireguardIp: null, certSerial: null, out: null, error: `line ${b.line}: ${b.error}`, exitCode: 2 });
  // CSR rows without a WireGuard key get no peer at the bridge: named once, after the run.
  const keyless = new Set(file.devices.filter((d) => d.csr !== undefined && d.wgPublicKey === undefined).map((d) => d.id));
  const peerless: string[] = [];
  const summary = await bulkEnroll(f, {
    devices: file.devices, out: fl.out!, concurrency: fl.concurrency ?? 4, continueOnError: fl.continueOnError === true, context,
    onResult: async (item) => {
      if (item.outcome === 'enrolled' && item.id !== null && keyless.has(item.id)) peerless.push(item.id);
      bar.tick(1, item.id ?? undefined);
      await write(item);
    },
  });
  if (peerless.length > 0) {
    const shown = peerless.slice(0, 5).join(', ') + (peerless.length > 5 ? ', …' : '');
    out.warn(`warning: ${count(peerless.length, 'device')} enrolled from a CSR without a wg_public_key (${shown}): the bridge added no WireGuard peer for them, so their tunnels cannot come up; enroll each again with its key: cdm device enroll <id> --csr <file> --wg-public-key <key> --out <new dir> (a re-run of this file skips them)`);
  }
  const cut = f.signal.aborted && summary.inFlight > 0 ? `, cut off in flight ${summary.inFlight}` : '';
  bar.done(`enrolled ${summary.enrolled}, skipped ${summary.skipped} (already enrolled), failed ${summary.failed + file.bad.length}${cut}${summary.notStarted ? `, not started ${summary.notStarted}` : ''}`);
  if (collect) await out.list('EnrollmentResult', items, []);
  if (f.signal.aborted) throw interrupted(f.signal.reason, summary);
  const failed = summary.failed + file.bad.length;
  if (failed > 0) {
    throw new PartialFailure(`${failed} of ${count(file.devices.length + file.bad.length, 'row')} failed${summary.notStarted ? ` and ${summary.notStarted} ${summary.notStarted === 1 ? 'was' : 'were'} not started` : ''}`, {
      hint: `fix the cause and run the same command again${resumeNote(summary.enrolled + summary.skipped)}${fl.continueOnError ? '' : ' (--continue-on-error keeps going past failures)'}`,
    });
  }
}

/**
 * An interrupt or --timeout during a bulk run: what took effect and how to go on, with the exit
 * code of the cause (130, or 8 for a timeout).
 */
function interrupted(reason: unknown, s: BulkSummary): CdmError {
  const why = reason instanceof Error ? reason.message : 'interrupted';
  const message = `${why}: ${count(s.enrolled, 'device')} enrolled (recorded: a re-run skips them), ${s.inFlight} cut off in flight, ${s.notStarted} not started`;
  const hint = `run the same command again to go on${s.inFlight > 0 ? `; the bridge may have enrolled the ${count(s.inFlight, 'device')} cut off in flight: a re-run enrolls them again (a new certificate, the same WireGuard address)` : ''}`;
  const E = reason instanceof CdmError ? (reason.constructor as new (m: string, d: { hint: string }) => CdmError) : CancelError;
  return new E(message, { hint });
}

/** What a re-run skips, in words: nothing yet, one device, or n devices. */
function resumeNote(done: number): string {
  if (done === 0) return '';
  return done === 1 ? ': the 1 enrolled device is skipped' : `: the ${done} enrolled devices are skipped`;
}
