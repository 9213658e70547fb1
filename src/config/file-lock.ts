// Read-modify-write of cdm's own JSON files across processes. The stores read their file when a
// command starts and wrote it back whole on a change, so two cdm processes (parallel CI jobs, a
// long `rollout status --watch` refreshing its token while another terminal sets a credential)
// lost each other's changes: the last writer's old copy won. A change now takes `<file>.lock`,
// reads the file again, applies itself to what is there and writes it before letting go.
import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { PendingError } from '../core/errors.js';

/** A change takes milliseconds: a lock older than this was left by a process that died holding it. */
const STALE_MS = 10_000;
/** How long a change waits for another process's change before giving up. */
const WAIT_MS = 15_000;
const POLL_MS = 5;

/** Runs `change` while holding `<file>.lock` (the directory must exist). */
export function withFileLock<R>(file: string, change: () => R): R {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (isStale(lock)) {
      removeIfPresent(lock);
      continue;
    }
    if (Date.now() > deadline) {
      throw new PendingError(`${file} is being changed by another cdm process (lock ${lock} held for over ${WAIT_MS / 1000} s)`, { hint: `if no other cdm is running, remove ${lock}` });
    }
    // The stores are synchronous: wait without returning to the event loop.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, POLL_MS);
  }
  try {
    return change();
  } finally {
    removeIfPresent(lock);
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_MS;
  } catch {
    return false; // released meanwhile: try again
  }
}

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
