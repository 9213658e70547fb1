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

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0 && ms > 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
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
