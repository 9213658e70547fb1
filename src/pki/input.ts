// Binary-safe input: certificates may be DER, so files and stdin (`-`) are read as bytes.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import type { IOStreams } from '../core/io.js';

export async function readBytesInput(pathOrDash: string, io: IOStreams): Promise<Buffer> {
  if (pathOrDash === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(pathOrDash);
  } catch (err) {
    throw new UsageError(`cannot read ${pathOrDash}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
