// Persistent emulator state: one JSON document per service, written atomically (temp file,
// fsync, rename) after every committed change, so killing the sandbox mid-write loses nothing
// that a client was told succeeded.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

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

  /** Applies a change and persists it before returning (the change is committed when this returns). */
  update<R>(change: (state: T) => R): R {
    const result = change(this.data);
    this.commit();
    return result;
  }

  commit(): void {
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
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
