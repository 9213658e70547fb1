// The files an enrollment leaves in the device's --out directory. Each goes to a temporary name
// and is renamed into place, so no reader and no killed process ever leaves half a private key
// under the real name. Small synchronous writes (a few microseconds each) and no fsync, as step
// and openssl write theirs: in a bulk enrollment per-file fsyncs and promise-based file handles
// cost more CPU than the enrollment itself. A bulk re-run checks that a recorded device's files
// are still there (bulk.ts), so a device whose files an OS crash lost is enrolled again.
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, UsageError } from '../../core/errors.js';
import { unwritableReason } from '../../core/writable.js';

export const FILES = { key: 'device.key', cert: 'device.crt', ca: 'ca.crt', wg: 'wg0.conf' } as const;

export interface DeviceFile {
  name: string;
  content: string;
  /** Exact mode, whatever the umask: 0600 for secrets, 0644 for certificates. */
  mode: number;
}

/** Checked before any key is made or anything is sent: an enrollment never replaces a device's files. */
export function refuseOverwrite(dir: string, withKey: boolean): void {
  for (const f of withKey ? Object.values(FILES) : [FILES.cert, FILES.ca, FILES.wg]) {
    if (existsSync(join(dir, f))) throw new ConflictError(`${join(dir, f)} already exists; refusing to overwrite a device's files`, { hint: 'choose another --out directory, or move the old files away' });
  }
}

/**
 * The --out directory can be made and written: checked before anything is sent, since a key made
 * here is lost when its files cannot be written after the bridge enrolled the device. The nearest
 * existing path up from `dir` must be a writable directory.
 */
export function refuseUnwritableDir(dir: string): void {
  const reason = unwritableReason(dir, true);
  if (reason) throw new UsageError(`--out ${dir}: ${reason}`);
}

/** Writes the files (a trailing newline added where missing); returns their paths in the given order. */
export async function writeDeviceFiles(dir: string, files: readonly DeviceFile[]): Promise<string[]> {
  makeDirectory(dir);
  const staged: Array<{ tmp: string; file: string }> = [];
  try {
    for (const f of files) staged.push(stage(dir, f));
  } catch (err) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw err;
  }
  for (const s of staged) renameSync(s.tmp, s.file);
  return staged.map((s) => s.file);
}

/** The device's directory; its parent (the bulk --out) is created only the first time, not tried per device. */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}

/** True when every file of a device enrolled earlier is still in its directory. */
export function deviceFilesPresent(dir: string, withKey: boolean): boolean {
  return (withKey ? Object.values(FILES) : [FILES.cert, FILES.ca, FILES.wg]).every((f) => existsSync(join(dir, f)));
}

function stage(dir: string, f: DeviceFile): { tmp: string; file: string } {
  const file = join(dir, f.name);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'wx', f.mode);
  try {
    // open()'s mode is masked by the umask; the certificates must still be world-readable.
    fchmodSync(fd, f.mode);
    writeSync(fd, f.content.endsWith('\n') ? f.content : `${f.content}\n`);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  return { tmp, file };
}
