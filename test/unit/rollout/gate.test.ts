// The expand gate as a pure function of the canary's facts.
import { describe, expect, it } from 'vitest';
import { evaluateGate, nextGroup, type CanaryFacts } from '../../../src/workflows/rollout/gate.js';
import type { RolloutGroup } from '../../../src/services/hawkbit/types.js';

const HOUR = 3_600_000;
const group = (over: Partial<RolloutGroup> = {}): RolloutGroup => ({ id: 1, name: 'canary', status: 'finished', totalTargets: 2, successCondition: { condition: 'THRESHOLD', expression: '95' }, ...over });
const facts = (over: Partial<CanaryFacts> = {}): CanaryFacts => ({
  group: group(),
  actions: [
    { target: 'dev-1', status: 'finished', createdAt: 0, lastModifiedAt: HOUR },
    { target: 'dev-2', status: 'finished', createdAt: 0, lastModifiedAt: 2 * HOUR },
  ],
  alarms: { devices: [{ device: 'dev-1', found: true, active: 0 }, { device: 'dev-2', found: true, active: 0 }] },
  now: 4 * HOUR,
  ...over,
});
const failed = (f: CanaryFacts, o = { minStableMs: 2 * HOUR, maxFailures: 0 }) => evaluateGate(f, o).filter((c) => !c.pass).map((c) => c.name);

describe('evaluateGate', () => {
  it('passes a clean canary stable for long enough', () => {
    expect(failed(facts())).toEqual([]);
  });

  it('measures stability from the LAST canary device that finished', () => {
    expect(failed(facts({ now: 3 * HOUR }))).toEqual(['stable-for']);
  });

  it('counts failures against --max-failures and the success threshold', () => {
    const f = facts({ actions: [{ target: 'dev-1', status: 'error', lastModifiedAt: HOUR }, { target: 'dev-2', status: 'finished', lastModifiedAt: HOUR }] });
    expect(failed(f)).toEqual(['canary-failures', 'canary-success']);
    expect(failed(f, { minStableMs: 0, maxFailures: 1 })).toEqual(['canary-success']);
  });

  it('is not stable while a canary device is still updating', () => {
    const c = evaluateGate(facts({ actions: [{ target: 'dev-1', status: 'running' }, { target: 'dev-2', status: 'finished', lastModifiedAt: 0 }] }), { minStableMs: 0, maxFailures: 0 });
    expect(c.find((x) => x.name === 'stable-for')).toMatchObject({ pass: false, value: '1 canary device still updating' });
  });

  it('fails closed on alarms, unknown devices and an unreachable ThingsBoard', () => {
    expect(failed(facts({ alarms: { devices: [{ device: 'dev-1', found: true, active: 1 }, { device: 'dev-2', found: true, active: 0 }] } }))).toEqual(['no-active-alarms']);
    expect(failed(facts({ alarms: { devices: [{ device: 'dev-1', found: false, active: 0 }] } }))).toEqual(['no-active-alarms']);
    expect(failed(facts({ alarms: { error: 'connection refused' } }))).toEqual(['no-active-alarms']);
  });
});

describe('nextGroup', () => {
  it('names the group a resume starts and whether it is the last', () => {
    const gs = [group(), group({ id: 2, name: 'wave-1', status: 'scheduled' }), group({ id: 3, name: 'wave-2', status: 'scheduled' })];
    expect(nextGroup(gs)).toMatchObject({ next: { name: 'wave-1' }, isLast: false });
    expect(nextGroup([gs[0]!, { ...gs[1]!, status: 'finished' }, gs[2]!])).toMatchObject({ next: { name: 'wave-2' }, isLast: true });
    expect(nextGroup([gs[0]!])).toEqual({ isLast: false });
  });
});
