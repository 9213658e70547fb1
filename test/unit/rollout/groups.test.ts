// Group percentages (shares of all matching targets, the last sent as 100), the target counts a
// hawkBit 1.x server gives each group, and the local FIQL syntax check.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { checkFiql } from '../../../src/services/hawkbit/fiql.js';
import { expectedCounts, groupBodies, parseGroups, wirePercentages } from '../../../src/workflows/rollout/groups.js';

describe('group percentages', () => {
  it('parses shares that add up to 100 and refuses others', () => {
    expect(parseGroups('5,25,70')).toEqual([5, 25, 70]);
    expect(parseGroups('33.3,33.3,33.4')).toEqual([33.3, 33.3, 33.4]);
    for (const bad of ['5,25,60', '5,,95', 'a,b', '0,100', '0.5,99.5', '50,60']) expect(() => parseGroups(bad)).toThrow(UsageError);
  });

  it('sends the shares as they are, the last as 100', () => {
    expect(wirePercentages([5, 25, 70])).toEqual([5, 25, 100]);
    expect(groupBodies({ shares: [5, 95], successThreshold: 95, errorThreshold: 5, firstSuccessAction: 'PAUSE' }).map((g) => [g.targetPercentage, g.successAction?.action])).toEqual([[5, 'PAUSE'], [100, 'NEXTGROUP']]);
  });

  it.each([
    [20, [5, 25, 70], [1, 5, 14]],
    [1000, [5, 25, 70], [50, 250, 700]],
    [7, [50, 50], [4, 3]],
    [3, [33.3, 33.3, 33.4], [1, 1, 1]],
    [0, [5, 95], [0, 0]],
  ])('%i targets split %j → %j', (total, shares, counts) => {
    expect(expectedCounts(total, shares)).toEqual(counts);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
  });
});

describe('checkFiql', () => {
  it.each(['name==dev-*', 'name==dev-*;updatestatus!=error', '(tag==a,tag==b) and attribute.site=="lab 1"', 'id=in=(a,b,c)', 'lastControllerRequestAt=gt=100'])('accepts %s', (q) => {
    expect(checkFiql(q)).toBe(q);
  });
  it.each(['', 'name', 'name==', 'name==a;(', 'name==a)', 'name=="open', '==a', 'id=in=(a,b'])('refuses %j', (q) => {
    expect(() => checkFiql(q)).toThrow(UsageError);
  });
});
