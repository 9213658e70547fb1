// `--forcetime` is checked before anything is sent: a time hawkBit would take as "already past"
// forces the update on every target of the rollout at once.
import { describe, expect, it } from 'vitest';
import { parseForcetime } from '../../../commands/rollout/options.js';
import { UsageError } from '../../../src/core/errors.js';

const NOW = Date.UTC(2026, 11, 7, 12);

describe('--forcetime', () => {
  it('is a duration from now or an RFC 3339 time with a zone', () => {
    expect(parseForcetime('2h', NOW)).toBe(NOW + 7_200_000);
    expect(parseForcetime('1.5h', NOW)).toBe(NOW + 5_400_000);
    expect(parseForcetime('2026-12-08T02:00:00Z', NOW)).toBe(Date.UTC(2026, 11, 8, 2));
    expect(parseForcetime('2026-12-08T03:00:00+01:00', NOW)).toBe(Date.UTC(2026, 11, 8, 2));
  });

  it.each(['2', '2026-12-08T02:00:00', '2026-12-08', 'tomorrow', '2026-02-30T00:00:00Z'])('refuses %j as no time (exit 2)', (text) => {
    expect(() => parseForcetime(text, NOW)).toThrow(UsageError);
    expect(() => parseForcetime(text, NOW)).toThrow(/invalid --forcetime/);
  });

  it('refuses a time already past, which would force every target at once', () => {
    expect(() => parseForcetime('2026-12-07T11:59:59Z', NOW)).toThrow(/is in the past/);
    expect(() => parseForcetime('2026-12-07T12:00:00Z', NOW)).toThrow(/is in the past/);
  });
});
