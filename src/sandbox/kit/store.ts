// Persistent emulator state: one JSON document per service, written atomically (temp file,
// rename) after every committed change, so killing the sandbox mid-write loses nothing
// that a client was told succeeded.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Longest time a deferred change stays unwritten. */
const DEFER_MS = 1000;

export class JsonStore<T extends object> {
  private data: T;

  /** `file` undefined keeps the state in memory only (unit tests). */
  constructor(private readonly file: string | undefined, initial: () => T) {
    this.data = (file && readIfExists<T>(file)) || initial();
    if (file) this.commit();
  }

  get state(): T {
    return this.data;
  }

  private deferred: NodeJS.Timeout | undefined;

  /** Applies a change and persists it before returning (the change is committed when this returns). */
  update<R>(change: (state: T) => R): R {
    const result = change(this.data);
    this.commit();
    return result;
  }

  /**
   * Applies a change that no client is told about (device-side ingestion standing in for MQTT):
   * it is written with the next commit or within `DEFER_MS`, so a fleet of simulated devices does
   * not rewrite a large state file on every telemetry message.
   */
  updateDeferred<R>(change: (state: T) => R): R {
    const result = change(this.data);
    if (this.file && !this.deferred) {
      this.deferred = setTimeout(() => this.commit(), DEFER_MS);
      this.deferred.unref();
    }
    return result;
  }

  commit(): void {
    if (this.deferred) {
      clearTimeout(this.deferred);
      this.deferred = undefined;
    }
    if (!this.file) return;
    writeFileAtomic(this.file, JSON.stringify(this.data));
  }
}

function readIfExists<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`sandbox state file ${file} is unreadable: ${(err as Error).message}`);
  }
}

export function writeFileAtomic(file: string, content: string | Buffer, mode = 0o600): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    // No fsync: a killed process cannot lose a renamed file (the page cache survives it); only an
    // OS crash could, which a local sandbox need not survive. fsync cost ~25 % of bulk enrollment.
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
