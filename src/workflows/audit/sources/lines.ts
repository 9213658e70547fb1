// Reads a text file as lines in pages, without readline's per-line events: chunks are split on
// "\n" and the partial last line carried over. A missing file is an empty source.
import { createReadStream } from 'node:fs';

export async function* fileLines(file: string, signal?: AbortSignal): AsyncGenerator<string[]> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024, ...(signal ? { signal } : {}) });
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      if (lines.length > 0) yield lines;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (rest !== '') yield [rest];
}
