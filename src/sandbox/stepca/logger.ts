// step-ca's request log: one logrus TextFormatter line per request (logging/handler.go), e.g.
//   time="2026-11-22T03:11:09Z" level=info duration=2.2ms ... path=/1.0/sign ... serial=2522... status=201 subject=tenant-a
// `cdm audit` reads issuance and revocation from these lines, so the format follows the real one:
// fixed keys time/level first, then all fields sorted, values quoted only when logrus would.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { formatGoDuration } from './duration.js';

export type LogValue = string | number | boolean;

const goTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function quoteIfNeeded(v: LogValue): string {
  const s = String(v);
  if (/^[A-Za-z0-9\-._/@^+]*$/.test(s)) return s;
  return JSON.stringify(s);
}

export function formatLogLine(time: Date, level: 'info' | 'warning' | 'error', fields: Record<string, LogValue>): string {
  const keys = Object.keys(fields).sort();
  const parts = [`time=${quoteIfNeeded(goTime(time))}`, `level=${level}`, ...keys.map((k) => `${k}=${quoteIfNeeded(fields[k]!)}`)];
  return parts.join(' ') + '\n';
}

// Request ids are xids (12 bytes: time, machine, pid, counter; base32hex, 20 characters).
const machine = randomBytes(3);
let counter = randomBytes(3).readUIntBE(0, 3);
export function requestId(now: number): string {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(Math.floor(now / 1000) >>> 0, 0);
  machine.copy(b, 4);
  b.writeUInt16BE(process.pid & 0xffff, 7);
  counter = (counter + 1) & 0xffffff;
  b.writeUIntBE(counter, 9, 3);
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  let bits = 0, value = 0, out = '';
  for (const byte of b) {
    value = (value << 8) | byte; bits += 8;
    while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

export interface RequestLogEntry {
  start: Date;
  durationNs: bigint;
  method: string;
  uri: string;
  protocol: string;
  remoteAddress: string;
  userAgent: string;
  referer: string;
  status: number;
  size: number;
  requestId: string;
  /** Handler fields: ott, certificate details, revocation details, error. */
  fields: Record<string, LogValue>;
}

export class StepCaLog {
  /** Kept open between lines: opening the file per request cost more than the line. */
  private fd: number | undefined;

  constructor(private readonly file: string | undefined) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  write(e: RequestLogEntry): void {
    if (!this.file) return;
    const level = e.status < 400 ? 'info' : e.status < 500 ? 'warning' : 'error';
    const fields: Record<string, LogValue> = {
      'request-id': e.requestId, 'remote-address': e.remoteAddress, name: 'ca', 'user-id': '',
      // logrus renames a "time" field that clashes with its own timestamp to "fields.time".
      'fields.time': goTime(e.start), 'duration-ns': Number(e.durationNs), duration: formatGoDuration(e.durationNs),
      method: e.method, path: e.uri, protocol: e.protocol, status: e.status, size: e.size,
      referer: e.referer, 'user-agent': e.userAgent, ...e.fields,
    };
    this.fd ??= openSync(this.file, 'a', 0o600);
    writeSync(this.fd, formatLogLine(e.start, level, fields));
  }
}
