// The files an enrollment leaves in the device's --out directory. Written through fs/promises so
// that fsync waits on the libuv threadpool, not on the event loop a bulk enrollment shares among
// its devices in flight. Each file goes to a temporary name, is fsynced, then renamed: no reader
// and no crash ever sees half a private key under the real name. One fsync of the directory
// (and of its parent when the directory is new) then makes the names themselves durable.
import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConflictError } from '../../core/errors.js';

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

/** Writes the files (a trailing newline added where missing); returns their paths in the given order. */
export async function writeDeviceFiles(dir: string, files: readonly DeviceFile[]): Promise<string[]> {
  const firstCreated = await mkdir(dir, { recursive: true, mode: 0o700 });
  const staged = await Promise.allSettled(files.map((f) => stage(dir, f)));
  const done = staged.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = staged.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(done.map((s) => rm(s.tmp, { force: true })));
    throw failed.reason;
  }
  await Promise.all(done.map((s) => rename(s.tmp, s.file)));
  await Promise.all([syncDirectory(dir), ...(firstCreated ? [syncDirectory(dirname(firstCreated))] : [])]);
  return done.map((s) => s.file);
}

async function stage(dir: string, f: DeviceFile): Promise<{ tmp: string; file: string }> {
  const file = join(dir, f.name);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(tmp, 'wx', f.mode);
  try {
    await handle.writeFile(f.content.endsWith('\n') ? f.content : `${f.content}\n`);
    // open()'s mode is masked by the umask; the certificates must still be world-readable.
    await handle.chmod(f.mode);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  return { tmp, file };
}

async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory to fsync it; there the names are as durable as the filesystem makes them.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
