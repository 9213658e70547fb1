// Bulk enrollment from a CSV/JSONL file: a bounded pool of workers (--concurrency), each yielding
// to the event loop before every device (one device's keys take ~0.2 ms and its files are a few
// small synchronous writes, so the loop never blocks for the batch), one result per device as it
// completes, a per-context journal so a re-run skips devices already enrolled. Bad rows are
// reported with their line numbers.
import { join } from 'node:path';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { errorBody, exitCodeOf } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { enrollPrepared, prepareEnrollment } from './enroll.js';
import { deviceFilesPresent } from './files.js';
import { takeBulkLock } from './bulk-lock.js';
import { EnrolledJournal, enrolledRecord } from './enrolled.js';
import { allowConcurrentRequests } from './view.js';
import type { DeviceSpec } from './input.js';

export interface BulkItem {
  id: string | null;
  line: number;
  outcome: 'enrolled' | 'skipped' | 'failed';
  wireguardIp: string | null;
  certSerial: string | null;
  out: string | null;
  error: string | null;
  exitCode: number;
}

export interface BulkOptions {
  devices: DeviceSpec[];
  /** Per-device directories `<out>/<id>/` for keys, certificates and wg0.conf. */
  out: string;
  concurrency: number;
  continueOnError: boolean;
  context: string;
  onResult: (item: BulkItem) => void | Promise<void>;
}

export interface BulkSummary {
  enrolled: number;
  skipped: number;
  failed: number;
  notStarted: number;
  /** Cut off by an interrupt or --timeout while their request was out: the bridge may have enrolled them. */
  inFlight: number;
}

export async function bulkEnroll(f: Factory, o: BulkOptions): Promise<BulkSummary> {
  allowConcurrentRequests(f);
  const release = takeBulkLock(f.paths.stateDir, o.context);
  try {
    return await enrollAll(f, o);
  } finally {
    release();
  }
}

async function enrollAll(f: Factory, o: BulkOptions): Promise<BulkSummary> {
  // Read once the lock is held: what an earlier run recorded is skipped.
  const journal = new EnrolledJournal(f.paths.stateDir, o.context);
  const summary: BulkSummary = { enrolled: 0, skipped: 0, failed: 0, notStarted: 0, inFlight: 0 };
  let next = 0;
  let stop = false;
  const emit = async (item: BulkItem): Promise<void> => {
    summary[item.outcome === 'enrolled' ? 'enrolled' : item.outcome === 'skipped' ? 'skipped' : 'failed']++;
    await o.onResult(item);
  };
  const worker = async (): Promise<void> => {
    while (!stop && !f.signal.aborted) {
      const i = next++;
      if (i >= o.devices.length) return;
      const d = o.devices[i]!;
      const done = journal.get(d.id);
      // Skipped only while its files are still there: a device whose files were lost is enrolled again.
      if (done && (done.out === null || deviceFilesPresent(done.out, d.csr === undefined))) {
        await emit({ id: d.id, line: d.line, outcome: 'skipped', wireguardIp: done.wireguardIp, certSerial: done.certSerial, out: done.out, error: null, exitCode: 0 });
        continue;
      }
      await yieldLoop();
      const opts = { id: d.id, ...(d.name ? { name: d.name } : {}), ...(d.type ? { type: d.type } : {}), ...(d.csr ? { csr: d.csr } : {}), ...(d.wgPublicKey ? { wgPublicKey: d.wgPublicKey } : {}), out: join(o.out, d.id) };
      try {
        const prepared = await prepareEnrollment(opts, f.io);
        const r = await enrollPrepared(f, prepared, opts);
        journal.record(enrolledRecord(r, new Date(f.clock()).toISOString()));
        await emit({ id: d.id, line: d.line, outcome: 'enrolled', wireguardIp: r.wireguardIp, certSerial: r.certSerial, out: r.out, error: null, exitCode: 0 });
      } catch (err) {
        // Interrupted: the others stop too, and the caller reports what took effect.
        if (f.signal.aborted) { summary.inFlight++; return; }
        await emit({ id: d.id, line: d.line, outcome: 'failed', wireguardIp: null, certSerial: null, out: null, error: errorBody(err).message, exitCode: exitCodeOf(err) });
        if (!o.continueOnError) stop = true;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, o.devices.length)) }, worker));
  } finally {
    journal.close();
  }
  summary.notStarted = Math.max(0, o.devices.length - next);
  return summary;
}
