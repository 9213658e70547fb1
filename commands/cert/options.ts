// Flag parsers shared by the cert verbs (light: loaded with the command tree).
import { UsageError } from '../../src/core/errors.js';
import { parseDuration } from '../../src/core/parse.js';

/**
 * `--not-after`: a duration (`24h`, `7d`, `90m`) sent to step-ca as a Go duration in whole
 * hours, minutes or seconds, or an RFC 3339 time sent as it is.
 */
export function parseNotAfter(text: string): string {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    if (Number.isNaN(Date.parse(s))) throw new UsageError(`invalid time "${text}": expected RFC 3339, e.g. 2026-01-31T12:00:00Z`);
    return s;
  }
  const ms = parseDuration(s, 'duration');
  if (ms < 1000) throw new UsageError(`invalid duration "${text}": at least 1s`);
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
