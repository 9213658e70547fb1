// Writing what the CA hands back: certificates atomically (a renewal never leaves a half-written
// file behind), private keys with mode 0600 and never over an existing file.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../../config/atomic.js';
import { ConflictError, UsageError } from '../../core/errors.js';

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
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new UsageError(`${file} holds a private key: cdm does not write a certificate over it`, { hint: 'choose another file for the certificate' });
  }
}

/**
 * The directory a file will be written to must exist and be writable, checked before anything is
 * sent: a write that fails after the CA issued would leave a certificate nobody holds.
 */
export function refuseUnwritable(file: string, flag: string): void {
  const target = resolve(file);
  const dir = dirname(target);
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${file}: ${code === 'ENOENT' ? `directory ${dir} does not exist` : `cannot write in ${dir} (${code ?? (err as Error).message})`}`);
  }
  if (existsSync(target) && !statSync(target).isFile()) throw new UsageError(`${flag} ${file}: not a regular file`);
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
