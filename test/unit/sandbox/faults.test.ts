import { describe, expect, it } from 'vitest';
import { createFaultInjector, FAULT_KINDS, type FaultKind } from '../../../src/sandbox/kit/faults.js';
import { mulberry32 } from '../../../src/sandbox/kit/rng.js';

function sequence(seed: number, errorRate: number, n: number): Array<FaultKind | undefined> {
  const injector = createFaultInjector({ seed, errorRate });
  return Array.from({ length: n }, () => injector.next());
}

describe('mulberry32', () => {
  it('replays the same floats in [0, 1) from the same seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });

  it('gives different sequences for different seeds', () => {
    const a = mulberry32(1);
    const b = mulberry32(2);
    expect(Array.from({ length: 10 }, () => a())).not.toEqual(Array.from({ length: 10 }, () => b()));
  });
});

describe('createFaultInjector', () => {
  it('is deterministic: the same seed gives the same fault sequence', () => {
    expect(sequence(7, 0.3, 500)).toEqual(sequence(7, 0.3, 500));
    expect(sequence(7, 0.3, 500)).not.toEqual(sequence(8, 0.3, 500));
  });

  it('an unseeded injector is reproducible too', () => {
    const a = createFaultInjector({ errorRate: 0.5 });
    const b = createFaultInjector({ errorRate: 0.5 });
    expect(Array.from({ length: 50 }, () => a.next())).toEqual(Array.from({ length: 50 }, () => b.next()));
  });

  it('never faults at rate 0 and always faults at rate 1', () => {
    expect(sequence(3, 0, 1000).every((f) => f === undefined)).toBe(true);
    expect(sequence(3, 1, 1000).every((f) => f !== undefined)).toBe(true);
  });

  it('faults about errorRate of the requests, spread over every kind', () => {
    const faults = sequence(11, 0.25, 20_000);
    const hits = faults.filter((f) => f !== undefined);
    expect(hits.length / faults.length).toBeGreaterThan(0.23);
    expect(hits.length / faults.length).toBeLessThan(0.27);
    for (const kind of FAULT_KINDS) {
      const share = hits.filter((f) => f === kind).length / hits.length;
      expect(share, kind).toBeGreaterThan(0.2);
      expect(share, kind).toBeLessThan(0.3);
    }
  });

  it('a lower rate with the same seed faults a subset of the same requests', () => {
    // both draws happen for every request, so positions line up across rates
    const low = sequence(5, 0.1, 2000);
    const high = sequence(5, 0.4, 2000);
    low.forEach((f, i) => {
      if (f !== undefined) expect(high[i]).toBe(f);
    });
  });

  it('refuses out-of-range options', () => {
    expect(() => createFaultInjector({ errorRate: 1.5 })).toThrow(RangeError);
    expect(() => createFaultInjector({ errorRate: -0.1 })).toThrow(RangeError);
    expect(() => createFaultInjector({ errorRate: Number.NaN })).toThrow(RangeError);
    expect(() => createFaultInjector({ latencyMs: -1 })).toThrow(RangeError);
  });

  it('reports the latency it was given', () => {
    expect(createFaultInjector({ latencyMs: 20 }).latencyMs).toBe(20);
    expect(createFaultInjector().latencyMs).toBe(0);
  });
});
