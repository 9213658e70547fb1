// When doctor reports a tenant's Sub-CA: valid, expiring within 7 days (warn), expired (fail), or
// without a recorded expiry (skip).
import { describe, expect, it } from 'vitest';
import { subCaExpiry } from '../../../src/workflows/doctor/checks.js';

const now = Date.parse('2026-12-07T12:00:00Z');
const day = 24 * 3_600_000;

describe('subCaExpiry', () => {
  it.each([
    ['2027-12-07T12:00:00Z', 'valid'],
    [new Date(now + 7 * day).toISOString(), 'valid'],
    [new Date(now + 7 * day - 1000).toISOString(), 'soon'],
    [new Date(now + 23 * 3_600_000).toISOString(), 'soon'],
    [new Date(now).toISOString(), 'expired'],
    ['2026-12-01T00:00:00Z', 'expired'],
    [null, 'unknown'],
    ['not a date', 'unknown'],
  ])('%s → %s', (notAfter, state) => {
    expect(subCaExpiry(notAfter, now).state).toBe(state);
  });
});
