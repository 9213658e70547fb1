// Go's time text forms. step-ca takes notBefore/notAfter as an RFC 3339 time or a duration
// ("24h", "-5m", api.TimeDuration), and prints durations in its 403 messages ("requested duration
// of 9000h1m0s is more than ...").

const UNIT_NS: Record<string, bigint> = {
  ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n,
  m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/** Parses a Go duration ("1h30m", "-5m", "300ms") to milliseconds; undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!m && text !== '0') return undefined;
  if (text === '0') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  let totalNs = 0;
  for (const part of text.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    totalNs += Number(part[1]) * Number(UNIT_NS[part[2]!]!);
  }
  return (sign * totalNs) / 1e6;
}

/** Formats nanoseconds like Go's Duration.String(). */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000n) out = `${u}ns`;
  else if (u < 1_000_000n) out = `${fraction(u, 1_000n)}µs`;
  else if (u < 1_000_000_000n) out = `${fraction(u, 1_000_000n)}ms`;
  else {
    const h = u / 3_600_000_000_000n; u %= 3_600_000_000_000n;
    const m = u / 60_000_000_000n; u %= 60_000_000_000n;
    const s = `${fraction(u, 1_000_000_000n)}s`;
    out = h > 0n ? `${h}h${m}m${s}` : m > 0n ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

function fraction(v: bigint, unit: bigint): string {
  const whole = v / unit;
  const rest = v % unit;
  if (rest === 0n) return whole.toString();
  const digits = unit.toString().length - 1;
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Go's time.Time.String() in UTC, as step-ca prints expiry times in messages. */
export function formatGoTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' +0000 UTC');
}

/**
 * Parses a time as Go's time.Parse(time.RFC3339, text) does, to milliseconds; undefined when Go
 * refuses it: seconds and a zone are required, T and Z upper-case, and the date and time must
 * exist (no February 30, no 24:00). Date.parse accepts all of these.
 */
export function parseGoRfc3339(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMs = (m[8] === '-' ? -1 : 1) * (Number(m[9] ?? 0) * 60 + Number(m[10] ?? 0)) * 60_000;
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0);
  return at.getTime() - offsetMs;
}
