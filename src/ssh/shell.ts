// The interactive shell of `cdm debug ssh <device>`. On a terminal: a PTY sized like ours, our
// stdin in raw mode (so Ctrl-C, arrows and tab reach the device), resized with the window, and
// the terminal restored however the session ends. Without a terminal: a plain shell fed from
// stdin (`cdm debug ssh dev-1 < script.sh`), as `ssh -T` does.
import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2';
import { CdmError } from '../core/errors.js';
import type { IOStreams } from '../core/io.js';
import { exitOf, type RemoteExit } from './exec.js';

type TtyIn = IOStreams['stdin'] & { setRawMode?: (raw: boolean) => unknown; isRaw?: boolean };
type TtyOut = IOStreams['stdout'] & { rows?: number };

export async function interactiveShell(client: Client, io: IOStreams, opts: { pty: boolean; term: string; label: string }): Promise<RemoteExit> {
  const stdin = io.stdin as TtyIn;
  const stdout = io.stdout as TtyOut;
  const window: PseudoTtyOptions = { term: opts.term, rows: stdout.rows ?? 24, cols: stdout.columns ?? 80 };
  // exitOf inside the callback: see exec.ts (ssh2 may emit `exit` before an `await` resumes).
  const { channel, exited } = await new Promise<{ channel: ClientChannel; exited: Promise<RemoteExit> }>((resolve, reject) => {
    const cb = (err: Error | undefined, ch: ClientChannel): void => (err ? reject(new CdmError(`${opts.label}: ${err.message}`)) : resolve({ channel: ch, exited: exitOf(ch) }));
    if (opts.pty) client.shell(window, cb);
    else client.shell(false, cb);
  });

  const canRaw = opts.pty && typeof stdin.setRawMode === 'function';
  const wasRaw = stdin.isRaw === true;
  if (canRaw) stdin.setRawMode!(true);
  const onResize = (): void => { channel.setWindow(stdout.rows ?? 24, stdout.columns ?? 80, 0, 0); };
  if (opts.pty) stdout.on('resize', onResize);
  channel.on('data', (d: Buffer) => io.stdout.write(d));
  channel.stderr.on('data', (d: Buffer) => io.stderr.write(d));
  // A terminal never ends; a pipe does, and then the remote shell gets EOF and exits.
  stdin.pipe(channel, { end: !opts.pty });
  stdin.resume();
  try {
    return await exited;
  } finally {
    stdin.unpipe(channel);
    stdin.pause();
    if (canRaw) stdin.setRawMode!(wasRaw);
    if (opts.pty) stdout.off('resize', onResize);
  }
}
