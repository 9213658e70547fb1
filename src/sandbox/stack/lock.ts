// One process per lock file holding the owner's pid: one sandbox per state dir (and, through
// `acquirePidLock`, one bulk enrollment per context in the CLI). A lock whose process is gone
// (killed with -9, machine rebooted) is stale and taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { files } from './layout.js';

export class SandboxLockedError extends Error {
  constructor(readonly pid: number, stateDir: string) {
    super(`a sandbox (pid ${pid}) is already running on ${stateDir}`);
  }
}

/** The lock file is held by this live process. */
export class PidLockedError extends Error {
  constructor(readonly pid: number, readonly file: string) {
    super(`${file} is held by pid ${pid}`);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed daemon whose parent is gone stays a zombie where PID 1 does not reap (containers):
  // it still answers signal 0 but holds no port and no state.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs: trust the signal
  }
}

/** The live process holding the lock file, if any. */
export function pidLockOwner(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function lockOwner(stateDir: string): number | undefined {
  return pidLockOwner(files.lock(stateDir));
}

/** Takes the lock file for `pid`; returns its release. PidLockedError while a live process holds it. */
export function acquirePidLock(file: string, pid = process.pid): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return () => { try { if (readFileSync(file, 'utf8').trim() === String(pid)) unlinkSync(file); } catch { /* already gone */ } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = pidLockOwner(file);
      if (owner !== undefined) throw new PidLockedError(owner, file);
      try { unlinkSync(file); } catch { /* raced with another starter */ }
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

export function acquireLock(stateDir: string, pid = process.pid): () => void {
  try {
    return acquirePidLock(files.lock(stateDir), pid);
  } catch (err) {
    if (err instanceof PidLockedError) throw new SandboxLockedError(err.pid, stateDir);
    throw err;
  }
}
