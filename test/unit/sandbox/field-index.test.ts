// kit/field-index.ts: lookups follow appends and new arrays on their own, a caller that changes a
// record in place calls forget(), and the tests' store-check mode catches one that does not.
import { describe, expect, it } from 'vitest';
import { FieldIndex } from '../../../src/sandbox/kit/field-index.js';

interface Rec { id: string; name: string }

describe('FieldIndex', () => {
  it('finds appended records and misses absent ones', () => {
    const byName = new FieldIndex<Rec>('test name', (r) => r.name);
    const recs: Rec[] = [{ id: '1', name: 'a' }];
    expect(byName.find(recs, 'a')?.id).toBe('1');
    recs.push({ id: '2', name: 'b' }, { id: '3', name: 'a' });
    expect(byName.find(recs, 'b')?.id).toBe('2');
    // The first record with the value, as Array.prototype.find answers.
    expect(byName.find(recs, 'a')?.id).toBe('1');
    expect(byName.find(recs, 'z')).toBeUndefined();
  });

  it('indexes a new array (a delete that filters) afresh', () => {
    const byName = new FieldIndex<Rec>('test name', (r) => r.name);
    let recs: Rec[] = [{ id: '1', name: 'a' }, { id: '2', name: 'b' }];
    expect(byName.find(recs, 'b')?.id).toBe('2');
    recs = recs.filter((r) => r.id !== '1');
    expect(byName.find(recs, 'b')?.id).toBe('2');
    expect(byName.find(recs, 'a')).toBeUndefined();
  });

  it('finds a record renamed in place once told, and answers a stale hit from a scan', () => {
    const byName = new FieldIndex<Rec>('test name', (r) => r.name);
    const recs: Rec[] = [{ id: '1', name: 'a' }, { id: '2', name: 'b' }];
    expect(byName.find(recs, 'a')?.id).toBe('1');
    recs[0]!.name = 'c';
    byName.forget(recs);
    expect(byName.find(recs, 'c')?.id).toBe('1');
    expect(byName.find(recs, 'a')).toBeUndefined();
    // Untold: the old name's position no longer holds it; the answer comes from a scan.
    recs[1]!.name = 'a';
    expect(byName.find(recs, 'b')).toBeUndefined();
    expect(byName.find(recs, 'a')?.id).toBe('2');
  });

  it('in the store-check mode, refuses a miss that a scan would have found', () => {
    expect(process.env['CDM_SANDBOX_STORE_CHECK']).toBe('1');
    const byName = new FieldIndex<Rec>('test name', (r) => r.name);
    const recs: Rec[] = [{ id: '1', name: 'a' }];
    expect(byName.find(recs, 'a')?.id).toBe('1');
    recs[0]!.name = 'renamed';
    expect(() => byName.find(recs, 'renamed')).toThrow(/test name index is stale/);
  });
});
