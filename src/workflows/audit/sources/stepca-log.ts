// Source `step-ca`: issuance, renewal and revocation read from step-ca's request log (logrus
// TextFormatter lines: `time="…" level=info … path=/1.0/sign … serial=… status=201 subject=…`).
// step-ca has no audit API (reference §8); its log is the record. Lines of other paths are skipped
// before they are parsed, so a busy CA's log reads fast.
import { timed, type AuditQuery, type Outcome, type Timed } from '../event.js';
import { fileLines } from './lines.js';

const ACTIONS: Record<string, string> = {
  sign: 'certificate.issue', '1.0/sign': 'certificate.issue',
  renew: 'certificate.renew', '1.0/renew': 'certificate.renew',
  rekey: 'certificate.rekey', '1.0/rekey': 'certificate.rekey',
  revoke: 'certificate.revoke', '1.0/revoke': 'certificate.revoke',
};

const DETAIL_KEYS = ['serial', 'issuer', 'valid-from', 'valid-to', 'provisioner', 'reason', 'reasonCode', 'passiveOnly', 'mTLS', 'error', 'request-id', 'remote-address'];

const FIELD = /([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g;

/** key=value pairs of one logrus text line; quoted values are Go-quoted strings. */
export function parseLogrusLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  FIELD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FIELD.exec(line)) !== null) {
    const raw = m[2]!;
    let value = raw;
    if (raw.charCodeAt(0) === 34) {
      // Go-quoted: only an escape needs decoding.
      if (raw.includes('\\')) {
        try { value = JSON.parse(raw) as string; } catch { value = raw.slice(1, -1); }
      } else value = raw.slice(1, -1);
    }
    out[m[1]!] = value;
  }
  return out;
}

function pathOf(line: string): string | undefined {
  const i = line.indexOf(' path=');
  if (i < 0) return undefined;
  const start = i + 6;
  const end = line.indexOf(' ', start);
  let p = line.slice(start, end < 0 ? undefined : end);
  if (p.startsWith('"')) p = p.slice(1, -1);
  return p.replace(/^\/+/, '').replace(/\?.*$/, '');
}

export function stepcaEvent(line: string, tenant: string | null): Timed | undefined {
  const path = pathOf(line);
  const action = path === undefined ? undefined : ACTIONS[path];
  if (!action) return undefined;
  // The issued certificate (base64 DER, most of the line) is not needed: cut it before parsing.
  const c = line.indexOf(' certificate=');
  let text = line;
  if (c >= 0) {
    const end = line.indexOf(' ', c + 13);
    text = line.slice(0, c) + (end < 0 ? '' : line.slice(end));
  }
  const f = parseLogrusLine(text);
  const ms = Date.parse(f['time'] ?? '');
  if (Number.isNaN(ms)) return undefined;
  const status = Number(f['status'] ?? 0);
  const outcome: Outcome = status >= 200 && status < 300 ? 'success' : status === 401 || status === 403 ? 'denied' : 'failure';
  const details: Record<string, unknown> = { status };
  for (const k of DETAIL_KEYS) {
    const v = f[k];
    if (v !== undefined && v !== '') details[k] = v;
  }
  // The subject of an issued certificate; a revocation names only a serial.
  const target = f['subject'] || f['serial'] || '';
  const provisioner = f['provisioner'];
  const actor = provisioner ? provisioner.replace(/\s*\(.*\)$/, '') : f['mTLS'] === 'true' ? `mTLS:${target}` : f['user-id'] || f['remote-address'] || '';
  return timed(ms, { source: 'step-ca', tenant, actor, action, target, outcome, details }, f['time']);
}

export async function* stepcaLogPages(file: string, tenant: string | null, q: AuditQuery, signal?: AbortSignal): AsyncGenerator<Timed[]> {
  for await (const lines of fileLines(file, signal)) {
    const page: Timed[] = [];
    let past = false;
    for (const line of lines) {
      const t = stepcaEvent(line, tenant);
      if (!t || (q.since !== undefined && t.ms < q.since)) continue;
      if (q.until !== undefined && t.ms > q.until) {
        past = true;
        break;
      }
      page.push(t);
    }
    yield page;
    if (past) return;
  }
}
