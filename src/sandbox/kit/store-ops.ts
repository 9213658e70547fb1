// The store's log entries: `[path, value]` sets a path, `[path]` deletes it. Values are the state's
// at write time, so replaying the ops of a write over the state before it gives the state after it,
// however many times a path changed in between.
export type Path = readonly (string | number)[];
export type Op = [Path, unknown] | [Path];

interface TrieNode { children: Map<string, TrieNode>; parent: TrieNode | undefined; marked: boolean; path: Path }

/** One op per touched path, leaving out paths under another touched path (its value holds them). */
export function opsFor(state: object, touched: readonly Path[]): Op[] {
  const root: TrieNode = { children: new Map(), parent: undefined, marked: false, path: [] };
  const order: TrieNode[] = [];
  outer: for (const path of touched) {
    let node = root;
    for (const key of path) {
      if (node.marked) continue outer;
      const k = String(key);
      let child = node.children.get(k);
      if (!child) {
        child = { children: new Map(), parent: node, marked: false, path: [] };
        node.children.set(k, child);
      }
      node = child;
    }
    if (node.marked) continue;
    node.marked = true;
    node.path = path;
    order.push(node);
  }
  const ops: Op[] = [];
  for (const node of order) {
    let covered = false;
    for (let p = node.parent; p && !covered; p = p.parent) covered = p.marked;
    if (!covered) ops.push(opAt(state, node.path));
  }
  return ops;
}

/** The op that makes `path` what it is in `state` now. */
function opAt(state: object, path: Path): Op {
  if (path.length === 0) return [path, state];
  let cur: unknown = state;
  for (let i = 0; i < path.length; i++) {
    const key = String(path[i]);
    if (!Object.prototype.hasOwnProperty.call(cur, key) || (cur as Record<string, unknown>)[key] === undefined) return [path.slice(0, i + 1)];
    cur = (cur as Record<string, unknown>)[key];
    const last = i === path.length - 1;
    // A primitive where the path goes deeper: that prefix is what changed.
    if (!last && (cur === null || typeof cur !== 'object')) return [path.slice(0, i + 1), cur];
  }
  return [path, cur];
}

export function applyOp(state: object, op: Op): void {
  const path = op[0];
  if (path.length === 0) throw new Error('a store log entry replaces the whole state');
  let parent: unknown = state;
  for (let i = 0; i < path.length - 1; i++) {
    const next = (parent as Record<string, unknown>)[String(path[i])];
    if (next === null || typeof next !== 'object') throw new Error(`store log entry for ${path.join('.')}: ${path.slice(0, i + 1).join('.')} is missing`);
    parent = next;
  }
  const key = String(path[path.length - 1]);
  if (Array.isArray(parent) && /^\d+$/.test(key)) {
    const index = Number(key);
    if (op.length === 2) parent[index] = op[1];
    // An index that is gone: the array ended before it.
    else parent.length = Math.min(parent.length, index);
    return;
  }
  if (op.length === 2) {
    // defineProperty, so a key like `__proto__` stays a plain entry.
    Object.defineProperty(parent, key, { value: op[1], enumerable: true, writable: true, configurable: true });
  } else {
    delete (parent as Record<string, unknown>)[key];
  }
}

/** The first path (dotted) where two JSON-like values differ, ignoring key order; undefined when equal. */
export function compareStates(a: unknown, b: unknown, at = ''): string | undefined {
  if (a === b) return undefined;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return Number.isNaN(a) && Number.isNaN(b) ? undefined : at || '(root)';
  }
  if (Array.isArray(a) !== Array.isArray(b)) return at || '(root)';
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return `${at}.length`;
    for (let i = 0; i < a.length; i++) {
      const d = compareStates(a[i], bb[i], `${at}.${i}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) {
    // JSON drops undefined-valued keys: absent and undefined are the same state.
    const d = compareStates(ra[k], rb[k], at ? `${at}.${k}` : k);
    if (d !== undefined && !(ra[k] === undefined && rb[k] === undefined)) return d;
  }
  return undefined;
}
