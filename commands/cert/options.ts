// Flag parsers shared by the cert verbs (light: loaded with the command tree).
import { UsageError } from '../../src/core/errors.js';
import { parseDuration, parseRfc3339 } from '../../src/core/parse.js';

/**
 * `--not-after`: a duration (`24h`, `7d`, `90m`) sent to step-ca as a Go duration in whole
 * hours, minutes or seconds, or an RFC 3339 time with seconds and a zone. step-ca (Go's RFC 3339
 * parser) refuses a time without a zone or with a lower-case t or z, and JavaScript would read the
 * first in the local zone: refused here, or sent upper-cased.
 */
export function parseNotAfter(text: string): string {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    if (parseRfc3339(s) === undefined) {
      throw new UsageError(`invalid time "${text}": RFC 3339 with seconds and a zone is expected, e.g. 2026-01-31T12:00:00Z (UTC) or 2026-01-31T13:00:00+01:00`);
    }
    return s.toUpperCase();
  }
  const ms = parseDuration(s, 'duration');
  if (ms < 1000) throw new UsageError(`invalid duration "${text}": at least 1s`);
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
