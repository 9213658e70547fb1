// Writing what the CA hands back: certificates atomically (a renewal never leaves a half-written
// file behind), private keys with mode 0600 and never over an existing file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../../config/atomic.js';
import { ConflictError, UsageError } from '../../core/errors.js';
import { unwritableReason } from '../../core/writable.js';
import { pemBlocks } from '../../pki/pem.js';

export function refuseExisting(file: string, what: string): void {
  if (existsSync(file)) throw new ConflictError(`${what} ${file} already exists; cdm does not overwrite private keys`, { hint: 'choose another path, or move the old file away' });
}

/**
 * A certificate never replaces a file that holds a private key, --yes or not: that key may be the
 * only copy (checked before anything is sent).
 */
export function refuseOverPrivateKey(file: string): void {
  let text: string;
  try {
    if (!statSync(file).isFile()) return; // a directory or a device: refuseUnwritable names it
    text = readFileSync(file, 'utf8');
  } catch { return; } // absent or unreadable: the write reports it
  if (pemBlocks(text).some((b) => b.label.endsWith('PRIVATE KEY'))) {
    throw new UsageError(`${file} holds a private key: cdm does not write a certificate over it`, { hint: 'choose another file for the certificate' });
  }
}

/** The file's directory exists and is writable, and the file is not a directory or device (before anything is sent). */
export function refuseUnwritable(file: string, flag: string): void {
  const reason = unwritableReason(dirname(resolve(file)), false);
  if (reason) throw new UsageError(`${flag} ${file}: ${reason}`);
  if (existsSync(file) && !statSync(file).isFile()) throw new UsageError(`${flag} ${file}: not a regular file`);
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
