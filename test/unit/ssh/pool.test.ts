import { describe, expect, it } from 'vitest';
import { pool } from '../../../src/ssh/pool.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('concurrency pool', () => {
  it('runs every item, never more than n at once, yielding as items finish', async () => {
    let running = 0;
    let peak = 0;
    const delays = [40, 5, 30, 5, 5, 20, 5];
    const seen: number[] = [];
    for await (const i of pool(delays, 3, async (ms, index) => {
      running++;
      peak = Math.max(peak, running);
      await wait(ms);
      running--;
      return index;
    })) seen.push(i);
    expect(peak).toBe(3);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seen[0]).toBe(1); // the fast one first, not input order
  });

  it('handles an empty list and a pool wider than the list', async () => {
    const out: number[] = [];
    for await (const x of pool([], 4, async () => 1)) out.push(x);
    for await (const x of pool([1, 2], 10, async (n) => n * 2)) out.push(x);
    expect(out.sort()).toEqual([2, 4]);
  });

  it('refuses a concurrency below 1', async () => {
    await expect(async () => { for await (const _ of pool([1], 0, async () => 1)) { /* none */ } }).rejects.toThrow(/positive integer/);
  });

  it('surfaces an item that throws (failures that concern the whole run)', async () => {
    await expect(async () => {
      for await (const _ of pool([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('bridge down'); return n; })) { /* drain */ }
    }).rejects.toThrow('bridge down');
  });
});
