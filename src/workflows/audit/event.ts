// The common schema of `cdm audit`: every source's records become one AuditEvent, so a merged,
// time-ordered timeline can be filtered and written as ndjson, csv, json or a table.
import { UsageError } from '../../core/errors.js';
import { parseDuration, parseRfc3339 } from '../../core/parse.js';

export const AUDIT_SOURCES = ['keycloak', 'thingsboard', 'hawkbit', 'step-ca', 'bridge', 'cdm'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

export type Outcome = 'success' | 'failure' | 'denied' | 'partial' | 'pending' | 'interrupted';

export interface AuditEvent {
  /** RFC 3339, UTC, millisecond precision. */
  time: string;
  source: AuditSource;
  /** The tenant stack the event belongs to; null for the provider stack and the local journal. */
  tenant: string | null;
  actor: string;
  action: string;
  target: string;
  outcome: Outcome;
  details: Record<string, unknown>;
}

/** An event with its time as epoch ms, the merge key. */
export interface Timed {
  ms: number;
  event: AuditEvent;
}

/** What every source is asked for; sources filter server-side where they can, the merge always does. */
export interface AuditQuery {
  /** Inclusive bounds, epoch ms. */
  since?: number;
  until?: number;
}

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const WHOLE_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** `time` is the RFC 3339 form of `ms`; a source's own text is reused when it already is that form. */
export function timed(ms: number, event: Omit<AuditEvent, 'time'>, text?: string): Timed {
  const time = text !== undefined && CANONICAL.test(text) ? text
    : text !== undefined && WHOLE_SECONDS.test(text) ? `${text.slice(0, 19)}.000Z`
      : new Date(ms).toISOString();
  return { ms, event: { time, ...event } };
}

/**
 * `--since`/`--until`: an RFC 3339 time (`2026-11-22T03:00:00Z`, offset optional = UTC), a date
 * (`2026-11-22`, UTC midnight), epoch seconds, or a duration back from now (`24h`, `7d`, `90m`).
 */
export function parseTimeBound(text: string, flag: string, now: number): number {
  const s = text.trim();
  if (/^\d+$/.test(s) && s.length >= 9) return Number(s) * (s.length > 11 ? 1 : 1000);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(s);
  if (m) {
    // Written out in full and read strictly: Date.parse rolls 2026-02-30 over into March.
    const zone = m[8] === undefined || m[8].toUpperCase() === 'Z' ? 'Z' : `${m[8].slice(0, 3)}:${m[8].slice(-2)}`;
    const t = parseRfc3339(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}${zone}`);
    if (t !== undefined) return t;
  }
  if (/^\d+(?:\.\d+)?(ms|s|m|h|d|w)/.test(s)) {
    try {
      return now - parseDuration(s, flag);
    } catch { /* reported below */ }
  }
  throw new UsageError(`invalid ${flag} "${text}": use an RFC 3339 time (2026-11-22T03:00:00Z), a date (2026-11-22) or a duration back from now (24h, 7d)`);
}

export function parseSources(text: string): AuditSource[] {
  const out: AuditSource[] = [];
  for (const raw of text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '')) {
    const name = raw === 'stepca' ? 'step-ca' : raw;
    if (!(AUDIT_SOURCES as readonly string[]).includes(name)) throw new UsageError(`invalid --source "${raw}": expected some of ${AUDIT_SOURCES.join(', ')}`);
    if (!out.includes(name as AuditSource)) out.push(name as AuditSource);
  }
  if (out.length === 0) throw new UsageError('--source names no source');
  return out;
}

export interface EventFilter {
  since?: number;
  until?: number;
  actor?: string;
  device?: string;
  tenant?: string;
}

/**
 * The client-side filter every event passes through (sources cannot all filter by actor or device).
 * Events must come in time order: with a device, the certificate serials its earlier events name
 * (step-ca's issue, the bridge's enroll) make later events about those serials its own too, since
 * step-ca logs a revocation by serial alone and an incident review must not lose it.
 */
export function eventFilter(f: EventFilter): (t: Timed) => boolean {
  const actor = f.actor?.toLowerCase();
  const serials = new Set<string>();
  const serialOf = (e: AuditEvent): string | undefined => {
    const s = e.details['serial'] ?? e.details['cert_serial'];
    return typeof s === 'string' && s !== '' ? s : undefined;
  };
  const aboutDevice = (e: AuditEvent, device: string): boolean => {
    if (e.target === device || e.details['device'] === device) {
      const serial = serialOf(e);
      if (serial !== undefined) serials.add(serial);
      return true;
    }
    return serials.has(e.target) || serials.has(serialOf(e) ?? '');
  };
  return (t) => {
    const e = t.event;
    // First, so that the serials are learnt from every event a source delivers, whatever else filters it out.
    if (f.device !== undefined && !aboutDevice(e, f.device)) return false;
    if (f.since !== undefined && t.ms < f.since) return false;
    if (f.until !== undefined && t.ms > f.until) return false;
    if (actor !== undefined && e.actor.toLowerCase() !== actor) return false;
    if (f.tenant !== undefined && e.tenant !== f.tenant) return false;
    return true;
  };
}

export const CSV_COLUMNS = ['time', 'source', 'tenant', 'actor', 'action', 'target', 'outcome', 'details'] as const;

/** RFC 4180: quoted when the field holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(e: AuditEvent): string {
  return `${[e.time, e.source, e.tenant ?? '', e.actor, e.action, e.target, e.outcome, Object.keys(e.details).length === 0 ? '' : JSON.stringify(e.details)].map(csvField).join(',')}\r\n`;
}
