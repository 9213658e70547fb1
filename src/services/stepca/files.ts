// Writing what the CA hands back: certificates atomically (a renewal never leaves a half-written
// file behind), private keys with mode 0600 and never over an existing file.
import { existsSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../config/atomic.js';
import { ConflictError, UsageError } from '../../core/errors.js';

export function refuseExisting(file: string, what: string): void {
  if (existsSync(file)) throw new ConflictError(`${what} ${file} already exists; cdm does not overwrite private keys`, { hint: 'choose another path, or move the old file away' });
}

export function writeKey(file: string, pem: string): void {
  try {
    writeFileAtomic(file, pem, 0o600);
  } catch (err) {
    throw new UsageError(`cannot write key ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Keeps the mode of a file being replaced (renewal over the old certificate), else 0644. */
export function writeCertificate(file: string, pem: string): void {
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // new file
  }
  try {
    writeFileAtomic(file, pem, mode);
  } catch (err) {
    throw new UsageError(`cannot write certificate ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
