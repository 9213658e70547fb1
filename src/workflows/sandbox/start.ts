// Starting a sandbox in the foreground (this process) or detached (a child process with a pid
// file that outlives the command).
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, CdmError } from '../../core/errors.js';
import { packageRoot } from '../../core/package-root.js';
import { files } from '../../sandbox/stack/layout.js';
import { lockOwner } from '../../sandbox/stack/lock.js';
import { readSandboxInfo, startSandbox, type RunningSandbox, type SandboxInfo, type SandboxOptions } from '../../sandbox/stack/host.js';
import { loadSecrets, type SandboxSecrets } from '../../sandbox/stack/secrets.js';

export function refuseIfRunning(stateDir: string): void {
  const pid = lockOwner(stateDir);
  if (pid !== undefined) {
    throw new ConflictError(`a sandbox (pid ${pid}) is already running on ${stateDir}`, { hint: 'see `cdm stack status`; stop it with `cdm stack down`' });
  }
}

export async function startForeground(opts: SandboxOptions): Promise<RunningSandbox> {
  refuseIfRunning(opts.stateDir);
  try {
    return await startSandbox(opts);
  } catch (err) {
    throw new CdmError(`the sandbox did not start: ${(err as Error).message}`);
  }
}

/** Spawns dist/sandbox-daemon.js and waits for its readiness line. */
export async function startDetached(opts: SandboxOptions, timeoutMs = 20_000): Promise<{ info: SandboxInfo; secrets: SandboxSecrets }> {
  refuseIfRunning(opts.stateDir);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  const daemon = join(packageRoot(), 'dist', 'sandbox-daemon.js');
  const errLog = openSync(files.log(opts.stateDir), 'a', 0o600);
  const child = spawn(process.execPath, [daemon, JSON.stringify(opts)], { detached: true, stdio: ['ignore', 'pipe', errLog] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new CdmError(`the sandbox did not report ready within ${timeoutMs / 1000} s; see ${files.log(opts.stateDir)}`)), timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) { clearTimeout(timer); resolve(buf.slice(0, nl)); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new CdmError(`the sandbox exited (code ${code}) before it was ready; see ${files.log(opts.stateDir)}`)); });
  });
  const status = JSON.parse(line) as { ready: boolean; error?: string };
  if (!status.ready) throw new CdmError(`the sandbox did not start: ${status.error ?? 'unknown error'}`);
  child.stdout!.destroy();
  child.removeAllListeners('exit');
  child.unref();
  const info = readSandboxInfo(opts.stateDir);
  if (!info) throw new CdmError(`the sandbox started but wrote no ${files.info(opts.stateDir)}`);
  return { info, secrets: loadSecrets(opts.stateDir, opts.tenants) };
}
