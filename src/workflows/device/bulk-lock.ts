// One bulk enrollment at a time per context on this machine. Two runs of the same file (a CI step
// retried while the first still runs) would both enroll the devices neither had recorded yet: two
// certificates per device, and one run's key and certificate renamed over the other's while the
// bridge and ThingsBoard hold whichever enrollment came last. The lock names its holder's pid; a
// lock whose process is gone is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { removeIfPresent } from '../../config/file-lock.js';
import { ConflictError } from '../../core/errors.js';
import { devicesStateDir } from './enrolled.js';

/** Takes the context's bulk-enrollment lock; returns its release. ConflictError while a live process holds it. */
export function takeBulkLock(stateDir: string, context: string): () => void {
  const dir = devicesStateDir(stateDir, context);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'bulk.lock');
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try { writeSync(fd, `${process.pid}\n`); } finally { closeSync(fd); }
      return () => { if (holder(file) === process.pid) removeIfPresent(file); };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = holder(file);
    if (pid !== undefined && alive(pid)) {
      throw new ConflictError(`another bulk enrollment for context ${context} is running (pid ${pid}); nothing was enrolled`, {
        hint: `wait for it to end, then run this again: it skips the devices that run enrolled (lock: ${file})`,
      });
    }
    removeIfPresent(file);
  }
}

/** The pid in the lock file; undefined when it is gone or being written. */
function holder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
