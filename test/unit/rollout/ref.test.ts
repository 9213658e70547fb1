import { describe, expect, it } from 'vitest';
import { rolloutRef } from '../../../src/workflows/rollout/resolve.js';

describe('rolloutRef', () => {
  it('names a rollout by a name that can be typed as it is, else by id', () => {
    expect(rolloutRef({ id: 7, name: 'os-2.0.0' })).toBe('os-2.0.0');
    expect(rolloutRef({ id: 7, name: 'fw 2.0' })).toBe('7');
    expect(rolloutRef({ id: 7, name: '2024' })).toBe('7');
    expect(rolloutRef({ id: 7, name: 'a;rm -rf' })).toBe('7');
  });
});
