// Reading files or stdin given as `-`, and secrets from stdin.
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';
import type { IOStreams } from './io.js';

async function readStdinBytes(io: IOStreams): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

export async function readStdin(io: IOStreams): Promise<string> {
  return (await readStdinBytes(io)).toString('utf8');
}

async function readFileBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function readTextInput(pathOrDash: string, io: IOStreams): Promise<string> {
  return pathOrDash === '-' ? readStdin(io) : (await readFileBytes(pathOrDash)).toString('utf8');
}

/** How messages name an input given as a path or "-". */
export function inputName(pathOrDash: string): string {
  return pathOrDash === '-' ? 'stdin' : pathOrDash;
}

/** Stdin read to its end, once per stream: a plan and its run may both read a `-` input. */
const stdinRead = new WeakMap<object, Promise<Buffer>>();

/**
 * The bytes of a file, or of stdin for "-" (binary-safe: certificates and CSRs may be DER). With
 * `terminalFlag`, a terminal on stdin is refused rather than waited on (input that is never typed).
 */
export async function readBytesInput(pathOrDash: string, io: IOStreams, terminalFlag?: string): Promise<Buffer> {
  if (pathOrDash !== '-') return readFileBytes(pathOrDash);
  if (terminalFlag !== undefined && io.stdin.isTTY) throw new UsageError(`${terminalFlag} - reads from a pipe or a redirect, e.g. \`cdm … ${terminalFlag} - < file\``);
  let read = stdinRead.get(io.stdin);
  if (!read) {
    read = readStdinBytes(io);
    stdinRead.set(io.stdin, read);
  }
  return read;
}

/**
 * A secret piped on stdin (`--password-stdin`): the first line, without its newline.
 * Refuses a terminal on stdin, where the secret would be echoed.
 */
export async function readSecretFromStdin(io: IOStreams, flag: string): Promise<string> {
  if (io.stdin.isTTY) throw new UsageError(`${flag} reads the secret from a pipe, e.g. \`printf %s "$SECRET" | cdm … ${flag}\``);
  const text = await readStdin(io);
  const secret = text.split(/\r?\n/)[0] ?? '';
  if (secret === '') throw new UsageError(`${flag}: nothing was read from stdin`);
  return secret;
}
