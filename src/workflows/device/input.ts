// The device list of a bulk enrollment: CSV with a header (`id` or `device_id`, optional `name`,
// `type`, `csr` = path of a CSR file, relative to the device file, `wg_public_key` = the WireGuard
// key of a device that keeps its own keys) or JSON Lines with the same keys. Every bad row is reported
// with its line number; nothing is sent for a file with bad rows unless --continue-on-error.
import { dirname, resolve } from 'node:path';
import type { IOStreams } from '../../core/io.js';
import { inputName, readBytesInput } from '../../core/read-input.js';
import { UsageError } from '../../core/errors.js';
import { DEVICE_ID } from '../../core/parse.js';
import { count } from '../../core/plural.js';
import { checkWgPublicKey } from '../../pki/wireguard-keys.js';

export interface DeviceSpec { line: number; id: string; name?: string; type?: string; csr?: string; wgPublicKey?: string }
export interface BadRow { line: number; error: string }
export interface DeviceFile {
  devices: DeviceSpec[];
  bad: BadRow[];
  /** Columns or keys cdm does not read (a misspelt "nmae" would otherwise be dropped without a word). */
  ignored: string[];
}

/** The columns (CSV header) and keys (JSON Lines) a device row may have. */
const KNOWN_FIELDS = ['id', 'device_id', 'name', 'device_name', 'type', 'device_type', 'csr', 'wg_public_key'];

/** `file` "-" reads stdin, where JSON Lines are told from CSV by a first line that opens an object. */
export async function readDeviceFile(file: string, io: IOStreams): Promise<DeviceFile> {
  // A byte-order mark (spreadsheet exports) is not part of the first line.
  const text = (await readBytesInput(file, io, '--from-file')).toString('utf8').replace(/^\uFEFF/, '');
  const jsonl = file === '-' ? /^\s*\{/.test(text) : /\.jsonl$|\.ndjson$/i.test(file);
  const d = jsonl ? parseJsonl(text) : parseCsv(text, inputName(file));
  // A CSR path in a row is relative to the file that names it (stdin: to here), wherever cdm runs.
  const base = file === '-' ? process.cwd() : dirname(resolve(file));
  return { ...d, devices: d.devices.map((r) => (r.csr === undefined ? r : { ...r, csr: resolve(base, r.csr) })) };
}

function finish(rows: DeviceSpec[], bad: BadRow[], ignored: string[]): DeviceFile {
  const seen = new Map<string, number>();
  const devices: DeviceSpec[] = [];
  for (const r of rows) {
    if (!DEVICE_ID.test(r.id)) { bad.push({ line: r.line, error: `invalid device id "${r.id}"` }); continue; }
    // "-" means stdin to --csr; in a row it would read the terminal, or a --from-file - already read.
    if (r.csr === '-') { bad.push({ line: r.line, error: 'csr "-": give the path of the device\'s CSR file' }); continue; }
    if (r.wgPublicKey !== undefined) {
      // Without a CSR the WireGuard pair is made here: a given key would not match its private half.
      if (r.csr === undefined) { bad.push({ line: r.line, error: 'wg_public_key goes with csr (without a CSR cdm makes the WireGuard pair)' }); continue; }
      try { checkWgPublicKey(r.wgPublicKey, 'wg_public_key'); } catch (err) { bad.push({ line: r.line, error: (err as Error).message }); continue; }
    }
    const first = seen.get(r.id);
    if (first !== undefined) { bad.push({ line: r.line, error: `device "${r.id}" repeats line ${first}` }); continue; }
    seen.set(r.id, r.line);
    devices.push(r);
  }
  bad.sort((a, b) => a.line - b.line);
  return { devices, bad, ignored };
}

/** The warning for fields nobody reads, naming those that are read. */
export function ignoredFieldsWarning(file: string, d: DeviceFile): string | undefined {
  if (d.ignored.length === 0) return undefined;
  return `${file}: ignoring ${d.ignored.map((f) => `"${f}"`).join(', ')}; a device row has ${KNOWN_FIELDS.join(', ')}`;
}

export function parseJsonl(text: string): DeviceFile {
  const rows: DeviceSpec[] = [];
  const bad: BadRow[] = [];
  const ignored = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let o: unknown;
    try { o = JSON.parse(raw); } catch (err) { bad.push({ line, error: `not JSON: ${(err as Error).message}` }); return; }
    if (!o || typeof o !== 'object' || Array.isArray(o)) { bad.push({ line, error: 'not a JSON object' }); return; }
    const r = o as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!KNOWN_FIELDS.includes(k)) ignored.add(k);
    const wrong = KNOWN_FIELDS.find((k) => r[k] !== undefined && r[k] !== null && typeof r[k] !== 'string');
    if (wrong) { bad.push({ line, error: `"${wrong}" must be a string, not ${typeof r[wrong]}` }); return; }
    const id = (r.id ?? r.device_id) as string | undefined;
    if (!id) { bad.push({ line, error: 'no "id"' }); return; }
    rows.push({ line, id, ...str(r, 'name'), ...str(r, 'type'), ...str(r, 'csr'), ...(typeof r.wg_public_key === 'string' && r.wg_public_key !== '' ? { wgPublicKey: r.wg_public_key } : {}) });
  });
  return finish(rows, bad, [...ignored]);
}

function str(r: Record<string, unknown>, k: 'name' | 'type' | 'csr'): Partial<DeviceSpec> {
  const v = r[k] ?? (k === 'name' ? r.device_name : k === 'type' ? r.device_type : undefined);
  return typeof v === 'string' && v !== '' ? { [k]: v } : {};
}

/** RFC 4180 fields (quotes, doubled quotes); one record per line (no newlines inside quotes). */
export function splitCsvLine(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const end = line.indexOf(',', i);
      field = end === -1 ? line.slice(i) : line.slice(i, end);
      if (field.includes('"')) return undefined;
      i = end === -1 ? line.length : end;
    }
    out.push(field.trim());
    if (i >= line.length) return out;
    i++; // the comma
  }
}

export function parseCsv(text: string, file = 'CSV'): DeviceFile {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
  if (headerAt === -1) throw new UsageError(`${file}: no header line (expected e.g. "id,name,type")`);
  const header = splitCsvLine(lines[headerAt]!)?.map((h) => h.toLowerCase());
  const idCol = header ? header.findIndex((h) => h === 'id' || h === 'device_id') : -1;
  if (!header || idCol === -1) throw new UsageError(`${file}: line ${headerAt + 1}: the header needs an "id" (or "device_id") column`);
  const col = (names: string[]): number => header.findIndex((h) => names.includes(h));
  const nameCol = col(['name', 'device_name']);
  const typeCol = col(['type', 'device_type']);
  const csrCol = col(['csr']);
  const wgCol = col(['wg_public_key']);
  const ignored = header.filter((h) => !KNOWN_FIELDS.includes(h));
  const rows: DeviceSpec[] = [];
  const bad: BadRow[] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = i + 1;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const f = splitCsvLine(raw);
    if (!f) { bad.push({ line, error: 'malformed quoting' }); continue; }
    if (f.length !== header.length) { bad.push({ line, error: `${count(f.length, 'field')}, the header has ${header.length}` }); continue; }
    const id = f[idCol]!;
    if (id === '') { bad.push({ line, error: 'empty id' }); continue; }
    const opt = (c: number): string | undefined => (c === -1 || f[c] === '' ? undefined : f[c]);
    const name = opt(nameCol), type = opt(typeCol), csr = opt(csrCol), wgPublicKey = opt(wgCol);
    rows.push({ line, id, ...(name ? { name } : {}), ...(type ? { type } : {}), ...(csr ? { csr } : {}), ...(wgPublicKey ? { wgPublicKey } : {}) });
  }
  return finish(rows, bad, ignored);
}
