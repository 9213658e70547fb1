// Reading files or stdin given as `-`, and secrets from stdin.
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';
import type { IOStreams } from './io.js';

export async function readStdin(io: IOStreams): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export async function readTextInput(pathOrDash: string, io: IOStreams): Promise<string> {
  if (pathOrDash === '-') return readStdin(io);
  try {
    return await readFile(pathOrDash, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${pathOrDash}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
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
