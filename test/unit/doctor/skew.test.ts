import { describe, expect, it } from 'vitest';
import { skewCheck } from '../../../src/workflows/doctor/checks.js';

describe('doctor clock skew', () => {
  const at = Date.parse('2026-11-22T04:00:00.400Z');
  const header = (ms: number): string => new Date(ms).toUTCString();
  it('passes within the Date header\'s second resolution', () => {
    expect(skewCheck(header(at), at - 100, at + 100)).toEqual({ status: 'pass', detail: 'within 1 s (the Date header\'s resolution)' });
  });
  it('warns beyond 5 s and fails beyond a minute, either direction', () => {
    expect(skewCheck(header(at + 9_000), at, at)).toMatchObject({ status: 'warn', detail: 'server ahead by about 9 s' });
    expect(skewCheck(header(at - 120_000), at, at)).toMatchObject({ status: 'fail', detail: expect.stringContaining('server behind by about 120') });
  });
  it('skips an answer without a usable Date header', () => {
    expect(skewCheck(undefined, at, at).status).toBe('skip');
    expect(skewCheck('yesterday', at, at).status).toBe('skip');
  });
});
