// One bulk enrollment at a time per context on this machine. Two runs of the same file (a CI step
// retried while the first still runs) would both enroll the devices neither had recorded yet: two
// certificates per device, and one run's key and certificate renamed over the other's while the
// bridge and ThingsBoard hold whichever enrollment came last. The pid lock is the sandbox's own
// (one sandbox per state dir): a lock whose process is gone is taken over.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '../../core/errors.js';
import { acquirePidLock, PidLockedError } from '../../sandbox/stack/lock.js';
import { devicesStateDir } from './enrolled.js';

/** Takes the context's bulk-enrollment lock; returns its release. ConflictError while a live process holds it. */
export function takeBulkLock(stateDir: string, context: string): () => void {
  const dir = devicesStateDir(stateDir, context);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'bulk.lock');
  try {
    return acquirePidLock(file);
  } catch (err) {
    if (!(err instanceof PidLockedError)) throw err;
    throw new ConflictError(`another bulk enrollment for context ${context} is running (pid ${err.pid}); nothing was enrolled`, {
      hint: `wait for it to end, then run this again: it skips the devices that run enrolled (lock: ${file})`,
    });
  }
}
