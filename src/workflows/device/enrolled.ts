// Per-context record of the devices cdm enrolled (`$CDM_STATE_DIR/devices/<context>/enrolled.jsonl`,
// one line appended per enrollment): what a re-run of a bulk enrollment skips, and the device
// certificates `cdm cert list|show` know of. `cdm device delete|isolate` append a removal line, so
// a re-run enrolls a removed device again instead of skipping it as enrolled.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { EnrollResult } from './enroll.js';
import { FILES } from './files.js';

export interface EnrolledRecord {
  id: string;
  at: string;
  wireguardIp: string;
  certSerial: string;
  /** Absent on lines written before cdm recorded it. */
  certNotBefore?: string;
  certNotAfter: string;
  out: string | null;
  /** The private key made here (--generate); absent for a device that keeps its own. */
  keyFile?: string;
}

/** The journal line of an enrollment that just succeeded. */
export function enrolledRecord(r: EnrollResult, at: string): EnrolledRecord {
  const keyFile = r.files.find((f) => basename(f) === FILES.key);
  return { id: r.id, at, wireguardIp: r.wireguardIp, certSerial: r.certSerial, certNotBefore: r.certNotBefore, certNotAfter: r.certNotAfter, out: r.out, ...(keyFile ? { keyFile } : {}) };
}

export function devicesStateDir(stateDir: string, context: string): string {
  return join(stateDir, 'devices', context);
}

function journalFile(stateDir: string, context: string): string {
  return join(devicesStateDir(stateDir, context), 'enrolled.jsonl');
}

interface RemovedRecord { id: string; at: string; removed: true }

const isRemoval = (r: EnrolledRecord | RemovedRecord): r is RemovedRecord => 'removed' in r && r.removed === true;

function readJournal(file: string): Array<EnrolledRecord | RemovedRecord> {
  if (!existsSync(file)) return [];
  const records: Array<EnrolledRecord | RemovedRecord> = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as EnrolledRecord | RemovedRecord;
      if (typeof r.id === 'string' && (isRemoval(r) || typeof r.certSerial === 'string')) records.push(r);
    } catch { /* a torn last line from a crash: that device is enrolled again */ }
  }
  return records;
}

/** Every enrollment cdm recorded for the context, oldest first: a device enrolled twice appears twice. */
export function enrollmentHistory(stateDir: string, context: string): EnrolledRecord[] {
  return readJournal(journalFile(stateDir, context)).filter((r): r is EnrolledRecord => !isRemoval(r));
}

export class EnrolledJournal {
  private readonly file: string;
  private readonly ids = new Map<string, EnrolledRecord>();
  private fd: number | undefined;

  constructor(stateDir: string, context: string) {
    this.file = journalFile(stateDir, context);
    for (const r of readJournal(this.file)) {
      if (isRemoval(r)) this.ids.delete(r.id);
      else this.ids.set(r.id, r);
    }
  }

  get(id: string): EnrolledRecord | undefined {
    return this.ids.get(id);
  }

  /**
   * Appends the line at once (a killed run keeps what it recorded); the file stays open for the
   * next. `out` and `keyFile` are kept absolute: a re-run from another directory, and `cdm cert
   * list|show`, must find the same files.
   */
  record(r: EnrolledRecord): void {
    const rec = { ...r, out: r.out === null ? null : resolve(r.out), ...(r.keyFile ? { keyFile: resolve(r.keyFile) } : {}) };
    this.append(rec);
    this.ids.set(rec.id, rec);
  }

  /** The device was removed at the bridge: no longer enrolled (its earlier certificates stay in the history). */
  recordRemoval(id: string, at: string): void {
    if (!this.ids.has(id)) return;
    this.append({ id, at, removed: true });
    this.ids.delete(id);
  }

  private append(r: EnrolledRecord | RemovedRecord): void {
    if (this.fd === undefined) {
      mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.file, 'a', 0o600);
    }
    writeSync(this.fd, `${JSON.stringify(r)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
