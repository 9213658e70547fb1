// One sandbox process per state dir: a lock file holding the owner's pid. A lock whose process
// is gone (killed with -9, machine rebooted) is stale and taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { files } from './layout.js';

export class SandboxLockedError extends Error {
  constructor(readonly pid: number, stateDir: string) {
    super(`a sandbox (pid ${pid}) is already running on ${stateDir}`);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockOwner(stateDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(files.lock(stateDir), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function acquireLock(stateDir: string, pid = process.pid): () => void {
  const file = files.lock(stateDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return () => { try { if (readFileSync(file, 'utf8').trim() === String(pid)) unlinkSync(file); } catch { /* already gone */ } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = lockOwner(stateDir);
      if (owner !== undefined) throw new SandboxLockedError(owner, stateDir);
      try { unlinkSync(file); } catch { /* raced with another starter */ }
    }
  }
  throw new Error(`could not lock ${stateDir}`);
}
