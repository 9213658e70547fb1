// Running one remote command: streamed to our stdout/stderr (`debug ssh -- cmd`, `debug logs`), or
// captured with a size cap (`debug exec` over many devices). The remote exit status is kept
// apart from transport failures; a signal death maps to 128+n as shells do.
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';

export interface RemoteExit {
  /** The remote exit status, or 128+n when the command died of signal n. */
  exitCode: number;
  /** Set when the command was killed by a signal (`SIGTERM`, `SIGKILL`, …). */
  signal?: string;
}

export interface Captured extends RemoteExit {
  stdout: string;
  stderr: string;
  /** True when output beyond the cap was dropped. */
  truncated: boolean;
}

/** Per stream, per device: a runaway `cat` on 500 devices must not exhaust our memory. */
export const CAPTURE_LIMIT = 1024 * 1024;

export async function execStreamed(client: Client, command: string, io: { stdout: Writable; stderr: Writable; stdin?: Readable }): Promise<RemoteExit> {
  const { channel, exited } = await openExec(client, command);
  if (io.stdin) io.stdin.pipe(channel);
  else channel.end();
  channel.on('data', (d: Buffer) => io.stdout.write(d));
  channel.stderr.on('data', (d: Buffer) => io.stderr.write(d));
  try {
    return await exited;
  } finally {
    if (io.stdin) io.stdin.unpipe(channel);
  }
}

export async function execCaptured(client: Client, command: string, limit = CAPTURE_LIMIT): Promise<Captured> {
  const { channel, exited } = await openExec(client, command);
  channel.end(); // no stdin: a command that reads it sees EOF instead of hanging
  const out = collector(limit);
  const err = collector(limit);
  channel.on('data', out.push);
  channel.stderr.on('data', err.push);
  const exit = await exited;
  return { ...exit, stdout: out.text(), stderr: err.text(), truncated: out.truncated() || err.truncated() };
}

function openExec(client: Client, command: string): Promise<{ channel: ClientChannel; exited: Promise<RemoteExit> }> {
  return new Promise((resolve, reject) => client.exec(command, (err, channel) => (err ? reject(err) : resolve({ channel, exited: exitOf(channel) }))));
}

/**
 * Resolves on channel close with the status the server sent (`exit-status` / `exit-signal`).
 * Call it inside ssh2's open callback: a short command's data, exit status and close can arrive
 * in the same TCP read as the open confirmation, and ssh2 emits `exit` at once — a listener
 * added one `await` later misses it (seen against OpenSSH 9.2 as a random exit 255).
 */
export function exitOf(channel: ClientChannel): Promise<RemoteExit> {
  return new Promise((resolve) => {
    let exit: RemoteExit | undefined;
    channel.on('exit', (code: number | null, signal?: string) => {
      if (typeof code === 'number') exit = { exitCode: code };
      else if (signal) exit = { exitCode: 128 + (constants.signals[signal as keyof typeof constants.signals] ?? 0), signal }; // ssh2 says `SIGTERM`
    });
    // No exit status at all (connection dropped, server did not say): a failure, never a success.
    channel.on('close', () => resolve(exit ?? { exitCode: 255 }));
  });
}

function collector(limit: number): { push: (d: Buffer) => void; text: () => string; truncated: () => boolean } {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = false;
  return {
    push: (d) => {
      if (size >= limit) { dropped = true; return; }
      const part = size + d.length > limit ? d.subarray(0, limit - size) : d;
      if (part.length < d.length) dropped = true;
      chunks.push(part);
      size += part.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
    truncated: () => dropped,
  };
}
