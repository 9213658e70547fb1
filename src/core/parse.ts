// Parsers for flag values. Each throws UsageError with a one-line message, so bad input
// exits 2 before any request is sent.
import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30s`, `5m`, `2h`, `1h30m`, `7d`, `250ms` → milliseconds. A bare number is refused (ambiguous unit). */
export function parseDuration(text: string, flag = 'duration'): number {
  const s = text.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (s === '' || consumed !== s.length) {
    throw new UsageError(`invalid ${flag} "${text}": use a number with a unit, e.g. 30s, 5m, 2h, 7d`);
  }
  return Math.round(total);
}

/**
 * A polling interval (`--poll`, `--interval`): 100ms to 24h. Zero polled in a busy loop, and a
 * timer cannot hold much more than 24 days (beyond, it fires after 1 ms).
 */
export function parseInterval(text: string): number {
  const ms = parseDuration(text, 'interval');
  if (ms < 100 || ms > 86_400_000) throw new UsageError(`invalid interval "${text}": from 100ms to 24h`);
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0 && ms > 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Milliseconds since the epoch of an RFC 3339 date-time: seconds and a zone required
 * (`2026-01-31T12:00:00Z`, `2026-01-31T13:00:00.5+01:00`; RFC 3339 also allows a lower-case t
 * and z). Undefined for anything else, and for a date or time that does not exist
 * (`2026-02-30`, `24:00:00`), which Date.parse would roll over or read in the local zone.
 */
export function parseRfc3339(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const [offsetHours, offsetMinutes] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offsetMs = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0);
  return date.getTime() - offsetMs;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** `95`, `95%`, `12.5` → number in [0, 100]. */
export function parsePercent(text: string, flag = 'percentage'): number {
  const s = text.trim().replace(/%$/, '');
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new UsageError(`invalid ${flag} "${text}": expected a number from 0 to 100`);
  }
  return n;
}

/** A fraction in [0, 1] (`--fail-rate 0.05`). */
export function parseFraction(text: string, flag = 'fraction'): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`invalid ${flag} "${text}": expected a number from 0 to 1`);
  }
  return n;
}

export function parsePositiveInt(text: string, flag = 'number'): number {
  const s = text.trim();
  if (!/^\d+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) {
    throw new UsageError(`invalid ${flag} "${text}": expected a positive whole number`);
  }
  return Number(s);
}

/** Requests per second for the client-side rate limit; 0 means no limit. */
export function parseRateLimit(text: string, flag = 'rate limit'): number {
  const s = text.trim();
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`invalid ${flag} "${text}": requests per second, 0 for no limit`);
  return n;
}

/** An http(s) URL, normalised without a trailing slash. */
export function parseUrl(text: string, flag = 'URL'): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`invalid ${flag} "${text}": expected an absolute http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid ${flag} "${text}": only http:// and https:// are supported`);
  }
  if (url.username || url.password) {
    throw new UsageError(`invalid ${flag}: credentials in URLs are not accepted; use \`cdm auth set-credential\``);
  }
  return url.toString().replace(/\/+$/, '');
}

/** A device id: ThingsBoard device name, hawkBit controller id, certificate CN and file name at once. */
export const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function parseDeviceId(text: string): string {
  if (!DEVICE_ID.test(text)) throw new UsageError(`invalid device id "${text}": letters, digits and . _ : - (at most 128, starting with a letter or digit)`);
  return text;
}

/** Context and tenant names: safe as file names and in URLs. */
export function parseName(text: string, what = 'name'): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(text)) {
    throw new UsageError(`invalid ${what} "${text}": use letters, digits, ".", "_" or "-" (max 63, starting with a letter or digit)`);
  }
  return text;
}

/**
 * A file or directory flag: "-" is refused, since where other tools read it as stdout, here it
 * would silently become a file named "-". `instead` says what to do.
 */
export function outputPath(flag: string, instead: string): (text: string) => string {
  return (text) => {
    if (text === '-') throw new UsageError(`${flag} -: ${instead}`);
    if (text.trim() === '') throw new UsageError(`${flag}: the path is empty`);
    return text;
  };
}
