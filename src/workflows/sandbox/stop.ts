// Stopping a sandbox process started by `cdm stack up` (detached or in another terminal).
import { PendingError } from '../../core/errors.js';
import { isAlive, lockOwner } from '../../sandbox/stack/lock.js';

export async function stopSandbox(stateDir: string, sleep: (ms: number) => Promise<void>, timeoutMs = 15_000): Promise<number | undefined> {
  const pid = lockOwner(stateDir);
  if (pid === undefined) return undefined;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    if (!isAlive(pid)) return pid;
    await sleep(100);
  }
  throw new PendingError(`the sandbox (pid ${pid}) did not stop within ${timeoutMs / 1000} s`, { hint: `kill ${pid}` });
}
