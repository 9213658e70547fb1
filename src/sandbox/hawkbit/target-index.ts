// hawkBit's default target order (controllerId ascending, compared lower-cased as paging.ts does)
// and a case-insensitive controllerId lookup, built once per set of targets instead of once per
// list request: with a large fleet, sorting every target for each page made paging through it
// quadratic. Routes that add or remove targets call invalidate(); in the store-check mode of the
// tests (CDM_SANDBOX_STORE_CHECK=1) every use compares the index with a fresh build, so a route
// that forgets is caught there.
import { lookup, type HbState, type TargetRec } from './state.js';

interface Built {
  table: Record<string, TargetRec>;
  /** Controller ids in default order; ties (ids equal but for case) in insertion order. */
  ordered: string[];
  /** Lower-cased controllerId → the ids that lower-case to it, in insertion order. */
  byLower: Map<string, string[]>;
}

export class TargetIndex {
  private built: Built | undefined;

  /** The set of targets changed (one added or removed). */
  invalidate(): void {
    this.built = undefined;
  }

  /** Every controllerId in hawkBit's default order. */
  ordered(state: HbState): readonly string[] {
    return this.get(state).ordered;
  }

  /**
   * The targets whose controllerId equals one of `lowerIds` ignoring case, in insertion order (the
   * order a list of every target has before it is sorted, so sorting them gives the same ties).
   */
  matching(state: HbState, lowerIds: ReadonlySet<string>): TargetRec[] {
    const b = this.get(state);
    const ids: string[] = [];
    for (const lower of lowerIds) ids.push(...(b.byLower.get(lower) ?? []));
    if (ids.length > 1) {
      const position = positions(b);
      ids.sort((x, y) => position.get(x)! - position.get(y)!);
    }
    return ids.map((id) => lookup(state.targets, id)).filter((t): t is TargetRec => t !== undefined);
  }

  private get(state: HbState): Built {
    let b = this.built;
    if (!b || b.table !== state.targets) {
      b = build(state.targets);
      this.built = b;
    } else if (process.env.CDM_SANDBOX_STORE_CHECK === '1') {
      const fresh = build(state.targets);
      if (fresh.ordered.length !== b.ordered.length || fresh.ordered.some((id, i) => id !== b!.ordered[i])) {
        throw new Error('hawkBit target index is stale: a route added or removed targets without invalidating it');
      }
    }
    return b;
  }
}

const insertion = new WeakMap<Built, Map<string, number>>();

/** Insertion position of each id (Object.keys order), made when first needed. */
function positions(b: Built): Map<string, number> {
  let p = insertion.get(b);
  if (!p) {
    p = new Map(Object.keys(b.table).map((id, i) => [id, i]));
    insertion.set(b, p);
  }
  return p;
}

function build(table: Record<string, TargetRec>): Built {
  const ids = Object.keys(table);
  const lower = ids.map((id) => id.toLowerCase());
  const byLower = new Map<string, string[]>();
  lower.forEach((l, i) => {
    const list = byLower.get(l);
    if (list) list.push(ids[i]!);
    else byLower.set(l, [ids[i]!]);
  });
  // Array.prototype.sort is stable: equal keys keep insertion order, as in paging.ts.
  const order = ids.map((_, i) => i).sort((a, b) => (lower[a]! < lower[b]! ? -1 : lower[a]! > lower[b]! ? 1 : 0));
  return { table, ordered: order.map((i) => ids[i]!), byLower };
}
