// Atomic file replacement for cdm's own files (temp file in the same directory, fsync, rename).
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

export function writeJsonAtomic(file: string, value: unknown, mode = 0o600): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, mode);
}

export function writeFileAtomic(file: string, content: string | Uint8Array, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
