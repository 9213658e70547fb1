// A small multipart/form-data reader for artifact uploads (RFC 7578): the parts with their
// field name, optional filename and raw bytes. Anything malformed is a MultipartException on the
// real server → 400.
import { multipartFailed } from './errors.js';

export interface Part { name: string; filename?: string; data: Buffer }

export function parseMultipart(contentType: string | undefined, body: Buffer): Part[] {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) {
    throw multipartFailed('Current request is not a multipart request');
  }
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw multipartFailed('Failed to parse multipart servlet request; the request was rejected because no multipart boundary was found');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw multipartFailed('Failed to parse multipart servlet request; stream ended unexpectedly');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw multipartFailed('Failed to parse multipart servlet request; malformed part boundary');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw multipartFailed('Failed to parse multipart servlet request; header section not terminated');
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) throw multipartFailed('Failed to parse multipart servlet request; stream ended unexpectedly');
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers);
    if (disposition) {
      const name = param(disposition[1]!, 'name');
      const filename = param(disposition[1]!, 'filename');
      if (name !== undefined) parts.push({ name, ...(filename === undefined ? {} : { filename }), data: body.subarray(headerEnd + 4, next) });
    }
    pos = next + 2;
  }
}

function param(text: string, key: string): string | undefined {
  const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${key}=([^;\\s]+)`, 'i').exec(text);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}
