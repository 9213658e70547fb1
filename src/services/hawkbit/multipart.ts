// A multipart/form-data body (RFC 7578) for one file, streamed from disk so a 2 GB RAUC bundle
// never sits in memory. `onBytes` reports what has been read, for the progress bar.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface MultipartFile {
  body: NodeJS.ReadableStream;
  contentType: string;
}

function quote(value: string): string {
  return value.replace(/[\r\n"\\]/g, (c) => (c === '"' ? '%22' : c === '\\' ? '\\\\' : ' '));
}

export function multipartFile(path: string, filename: string, onBytes?: (n: number) => void): MultipartFile {
  const boundary = `----cdm${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(filename)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of createReadStream(path)) {
      const b = chunk as Buffer;
      onBytes?.(b.length);
      yield b;
    }
    yield tail;
  }
  return { body: Readable.from(parts()), contentType: `multipart/form-data; boundary=${boundary}` };
}
