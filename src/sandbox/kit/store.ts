// Persistent emulator state: one JSON document per service, durable before a client hears of a
// change, so killing the sandbox mid-write loses nothing that a client was told succeeded.
//
// Two ways to change it:
// - `update`: any change; the whole document is written (snapshot). Right for rare changes.
// - `patch`: the change names the paths it touched; only their new values are appended to a log
//   next to the snapshot. Hot paths (enrollment, token use, audit) use it, because rewriting a
//   document that grows with the fleet on every request made bulk enrollment quadratic.
// The log is folded into a new snapshot when it outgrows the snapshot. Every snapshot and log line
// carries a sequence number, so a crash between writing a snapshot and dropping the log replays
// nothing twice.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { applyOp, compareStates, opsFor, type Op, type Path } from './store-ops.js';

export type { Path };

/** Longest time a deferred change stays unwritten. */
const DEFER_MS = 1000;
/** The log is folded into the snapshot once it is larger than this and than the snapshot. */
const MIN_COMPACT_BYTES = 8 << 20;
/** Set in tests: after every patch, the state must equal the snapshot plus the logged paths. */
const CHECK_ENV = 'CDM_SANDBOX_STORE_CHECK';

/** Marks a path (e.g. `touch('targets', id)`) whose value the change set, replaced or deleted. */
export type Touch = (...path: Path) => void;

interface Snapshot<T> { cdmStore: 2; seq: number; state: T }

export class JsonStore<T extends object> {
  private data: T;
  private readonly log: string | undefined;
  private seq = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  /** Unknown at start (a previous run may have left one), true after an append. */
  private logOnDisk = true;
  /** Kept open between appends: open and close per patch cost more than the write. */
  private logFd: number | undefined;
  /** Paths touched since the last write, in first-touch order. */
  private dirty: Path[] = [];
  /** A change that named no paths is waiting: the next write is a snapshot. */
  private wholePending = false;
  private deferred: NodeJS.Timeout | undefined;
  /** Check mode only: the state as a restart would rebuild it. */
  private shadow: T | undefined;

  /** `file` undefined keeps the state in memory only (unit tests). */
  constructor(private readonly file: string | undefined, initial: () => T, private readonly opts: { compactBytes?: number } = {}) {
    this.log = file ? `${file}.log` : undefined;
    const loaded = file ? loadState<T>(file) : undefined;
    this.data = loaded?.state ?? initial();
    this.seq = loaded?.seq ?? 0;
    this.commit();
  }

  /** The state a restart would load from `file`, without writing anything (tests, diagnostics). */
  static read<S extends object>(file: string): S | undefined {
    return loadState<S>(file)?.state;
  }

  get state(): T {
    return this.data;
  }

  /** Applies any change and writes the whole document before returning. */
  update<R>(change: (state: T) => R): R {
    const result = change(this.data);
    this.commit();
    return result;
  }

  /**
   * Applies a change that no client is told about (device-side ingestion standing in for MQTT):
   * written with the next commit or within `DEFER_MS`.
   */
  updateDeferred<R>(change: (state: T) => R): R {
    const result = change(this.data);
    this.wholePending = true;
    this.schedule();
    return result;
  }

  /**
   * Applies a change that touches every path it sets, replaces or deletes, and logs just those
   * paths before returning. Arrays: touch an index that was set or appended; touch the array
   * itself after anything that shifts or shortens it (splice, shift, pop, sort).
   */
  patch<R>(change: (state: T, touch: Touch) => R): R {
    const result = change(this.data, this.touch);
    this.flush();
    return result;
  }

  /** `patch` for changes no client is told about: logged with the next commit or within `DEFER_MS`. */
  patchDeferred<R>(change: (state: T, touch: Touch) => R): R {
    const result = change(this.data, this.touch);
    this.schedule();
    return result;
  }

  private readonly touch: Touch = (...path) => {
    this.dirty.push(path);
  };

  private schedule(): void {
    if (this.file && !this.deferred) {
      this.deferred = setTimeout(() => this.flush(), DEFER_MS);
      this.deferred.unref();
    }
  }

  /** Writes the whole document now: after changes made to `state` directly (schedulers). */
  commit(): void {
    this.wholePending = true;
    this.flush();
  }

  /** Writes what is pending: a log line for touched paths, or a snapshot. */
  private flush(): void {
    if (this.deferred) {
      clearTimeout(this.deferred);
      this.deferred = undefined;
    }
    const dirty = this.dirty;
    this.dirty = [];
    if (this.wholePending) {
      this.wholePending = false;
      this.writeSnapshot();
      return;
    }
    if (dirty.length === 0) return;
    if (!this.log && !this.shadow) return;
    const line = `${JSON.stringify({ seq: this.seq + 1, ops: opsFor(this.data, dirty) })}\n`;
    if (this.log) {
      if (this.logBytes + line.length > Math.max(this.opts.compactBytes ?? MIN_COMPACT_BYTES, this.snapshotBytes)) {
        this.writeSnapshot();
        return;
      }
      if (this.logFd === undefined) {
        mkdirSync(dirname(this.log), { recursive: true, mode: 0o700 });
        this.logFd = openSync(this.log, 'a', 0o600);
      }
      writeSync(this.logFd, line);
      this.logBytes += line.length;
      this.logOnDisk = true;
    }
    this.seq++;
    // What a restart would replay: the line as written.
    if (this.shadow) this.checkAgainstShadow((JSON.parse(line) as { ops: Op[] }).ops);
  }

  private writeSnapshot(): void {
    this.seq++;
    if (this.file && this.log) {
      const text = JSON.stringify({ cdmStore: 2, seq: this.seq, state: this.data } satisfies Snapshot<T>);
      writeFileAtomic(this.file, text);
      this.snapshotBytes = text.length;
      // After the rename: a crash in between leaves log lines the snapshot already holds, and
      // their sequence numbers make the next load skip them.
      this.closeLog();
      if (this.logOnDisk) removeIfExists(this.log);
      this.logOnDisk = false;
      this.logBytes = 0;
    }
    if (process.env[CHECK_ENV] === '1') this.shadow = structuredClone(this.data);
  }

  /** Writes what is pending and releases the log file (the emulator is stopping). */
  close(): void {
    this.flush();
    this.closeLog();
  }

  private closeLog(): void {
    if (this.logFd !== undefined) {
      closeSync(this.logFd);
      this.logFd = undefined;
    }
  }

  private checkAgainstShadow(ops: Op[]): void {
    const shadow = this.shadow!;
    for (const op of ops) applyOp(shadow, op);
    const diff = compareStates(shadow, this.data);
    if (diff !== undefined) {
      this.shadow = structuredClone(this.data);
      throw new Error(`sandbox store check: ${this.file ?? 'in-memory store'} changed at ${diff} without touching that path`);
    }
  }

}

/** Snapshot plus the log lines written after it; a torn last line (a crash mid-append) is dropped. */
function loadState<T>(file: string): { state: T; seq: number } | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  let state: T;
  let seq = 0;
  try {
    const parsed = JSON.parse(text) as Snapshot<T> | T;
    if (isSnapshot<T>(parsed)) {
      state = parsed.state;
      seq = parsed.seq;
    } else {
      state = parsed;
    }
  } catch (err) {
    throw new Error(`sandbox state file ${file} is unreadable: ${(err as Error).message}`);
  }
  const log = readIfExists(`${file}.log`);
  if (log === undefined) return { state, seq };
  for (const line of log.split('\n')) {
    if (!line) continue;
    let entry: { seq: number; ops: Op[] };
    try { entry = JSON.parse(line) as { seq: number; ops: Op[] }; } catch { break; }
    if (entry.seq <= seq) continue;
    for (const op of entry.ops) applyOp(state as object, op);
    seq = entry.seq;
  }
  return { state, seq };
}

function isSnapshot<T>(v: unknown): v is Snapshot<T> {
  return typeof v === 'object' && v !== null && (v as Snapshot<T>).cdmStore === 2 && typeof (v as Snapshot<T>).seq === 'number';
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`sandbox state file ${file} is unreadable: ${(err as Error).message}`);
  }
}

function removeIfExists(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
