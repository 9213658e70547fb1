import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../src/http/rate-limit.js';
import { abortableSleep } from '../../../src/http/abort.js';

function fakeClock(): { now: () => number; sleep: (ms: number, signal?: AbortSignal) => Promise<void>; slept: number[]; advance(ms: number): void } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    slept,
    advance: (ms) => {
      t += ms;
    },
    sleep: (ms, signal) =>
      abortableSleep(
        (d) => {
          slept.push(d);
          t += d;
          return Promise.resolve();
        },
        ms,
        signal,
      ),
  };
}

describe('TokenBucket', () => {
  it('lets a burst through, then paces at the rate', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ requestsPerSecond: 20, burst: 3, ...clock });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await bucket.acquire());
    expect(waits).toEqual([0, 0, 0, 50, 50, 50]);
    expect(clock.now()).toBe(150);
  });

  it('defaults the burst to the rate', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ requestsPerSecond: 4, ...clock });
    for (let i = 0; i < 4; i++) expect(await bucket.acquire()).toBe(0);
    expect(await bucket.acquire()).toBe(250);
  });

  it('refills while idle, but never beyond the burst', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ requestsPerSecond: 10, burst: 2, ...clock });
    await bucket.acquire();
    await bucket.acquire();
    clock.advance(60_000);
    expect(await bucket.acquire()).toBe(0);
    expect(await bucket.acquire()).toBe(0);
    expect(await bucket.acquire()).toBe(100);
  });

  it('serves concurrent waiters in order, one interval apart', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ requestsPerSecond: 1, burst: 1, ...clock });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => bucket.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.slept).toEqual([1000, 1000, 1000]);
  });

  it('rejects an aborted waiter without blocking those behind it', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ requestsPerSecond: 1, burst: 1, ...clock });
    await bucket.acquire();
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(bucket.acquire(ac.signal)).rejects.toThrow('stop');
    await expect(bucket.acquire()).resolves.toBe(1000);
  });

  it('treats non-positive or infinite rates as unlimited', () => {
    expect(TokenBucket.unlimited(Infinity)).toBe(true);
    expect(TokenBucket.unlimited(0)).toBe(true);
    expect(TokenBucket.unlimited(Number.NaN)).toBe(true);
    expect(TokenBucket.unlimited(20)).toBe(false);
  });
});
