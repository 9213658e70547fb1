// Where a record sits in an append-mostly array, by one of its string fields: a lookup, also one
// that finds nothing, costs a map access instead of a scan of the array. Emulator state keeps its
// records in arrays (the backends' tables); with a large fleet, scanning them on every request made
// each enrollment cost as much as the fleet was large.
//
// The index follows the array without being told about appends (new tail records are indexed on
// the next lookup) or about new arrays (a delete that filters makes one). A caller that changes the
// indexed field of a record in place, or removes records in place, calls forget(). In the tests'
// store-check mode (CDM_SANDBOX_STORE_CHECK=1) every miss is checked by a scan, so a caller that
// forgets is caught there.

interface Positions { map: Map<string, number>; indexed: number }

const CHECK = process.env['CDM_SANDBOX_STORE_CHECK'] === '1';

export class FieldIndex<T> {
  private readonly byArray = new WeakMap<readonly T[], Positions>();

  /** `name` names the index in the error of the check mode. */
  constructor(private readonly name: string, private readonly field: (record: T) => string) {}

  /** The first record whose field equals `value`. */
  find(records: readonly T[], value: string): T | undefined {
    const i = this.positions(records).map.get(value);
    if (i !== undefined) {
      const hit = records[i];
      if (hit !== undefined && this.field(hit) === value) return hit;
      // Changed in place without forget(): answer from a scan and index afresh next time.
      this.byArray.delete(records);
      return records.find((r) => this.field(r) === value);
    }
    if (CHECK && records.some((r) => this.field(r) === value)) {
      throw new Error(`${this.name} index is stale: a record changed in place without forget()`);
    }
    return undefined;
  }

  /** Records of this array changed their indexed field, or were removed, in place. */
  forget(records: readonly T[]): void {
    this.byArray.delete(records);
  }

  private positions(records: readonly T[]): Positions {
    let p = this.byArray.get(records);
    if (!p || records.length < p.indexed) {
      p = { map: new Map(), indexed: 0 };
      this.byArray.set(records, p);
    }
    for (let i = p.indexed; i < records.length; i++) {
      const key = this.field(records[i]!);
      if (!p.map.has(key)) p.map.set(key, i);
    }
    p.indexed = records.length;
    return p;
  }
}
