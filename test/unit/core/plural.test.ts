import { describe, expect, it } from 'vitest';
import { count } from '../../../src/core/plural.js';

describe('count', () => {
  it('singular for one, plural otherwise', () => {
    expect(count(1, 'device')).toBe('1 device');
    expect(count(0, 'device')).toBe('0 devices');
    expect(count(16, 'target')).toBe('16 targets');
  });
});
