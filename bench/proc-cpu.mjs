// CPU time a running process has used, from Linux's /proc: the whole process and its main thread
// (for Node, the event loop; the other threads are V8's GC and compiler helpers and libuv's
// threadpool). undefined where /proc is absent. The benches read the sandbox daemon's with it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function ticks(statFile) {
  // Fields after the command name, which may hold spaces: state is 3rd, utime 14th, stime 15th.
  const fields = readFileSync(statFile, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function processCpu(pid) {
  if (!existsSync(`/proc/${pid}/stat`)) return undefined;
  return { totalMs: ticks(`/proc/${pid}/stat`) * TICK_MS, mainMs: ticks(`/proc/${pid}/task/${pid}/stat`) * TICK_MS };
}

/** The detached sandbox's daemon pid, from the sandbox.json `cdm stack up --detach` writes. */
export function sandboxPid(stateDir) {
  return JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8')).pid;
}

/** "sandbox CPU 2.3 ms per enrollment (event loop 1.6, other threads 0.7)", from two readings. */
export function describeSandboxCpu(before, after, n, unit) {
  if (!before || !after) return '';
  const total = (after.totalMs - before.totalMs) / n;
  const main = (after.mainMs - before.mainMs) / n;
  return `sandbox CPU ${total.toFixed(2)} ms per ${unit} (event loop ${main.toFixed(2)}, other threads ${(total - main).toFixed(2)}: GC helpers, threadpool)`;
}
