// FIQL/RSQL `q` filters as hawkBit's RsqlParser reads them: comparisons `key op value` with
// `==` `!=` `=lt=` `=le=` `=gt=` `=ge=` `=in=(…)` `=out=(…)` `=li=`, AND as `;` or ` and `, OR
// as `,` or ` or `, parentheses, `*` wildcards in `==`/`!=` values. Keys are the resource's
// field enum names, case-insensitive, optionally `.subkey` for map fields (`attribute.<key>`).
// String and enum comparisons ignore case (hawkbit.ql.ignore-case=true by default).
import { rsqlField, rsqlSyntax } from './errors.js';

type Node =
  | { kind: 'and' | 'or'; children: Node[] }
  | { kind: 'cmp'; selector: string; op: string; values: string[] };

const OPS = new Set(['==', '!=', '=lt=', '=le=', '=gt=', '=ge=', '=in=', '=out=', '=li=', '=is=', '=not=']);

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.or();
    this.ws();
    if (this.i < this.s.length) this.fail();
    return node;
  }

  private fail(): never {
    throw rsqlSyntax(`The given search parameter is not well formed: ${this.s}`);
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  /** Consumes a keyword operator (`and`/`or`) surrounded by whitespace. */
  private keyword(word: string): boolean {
    const m = new RegExp(`^\\s+${word}\\s+`, 'i').exec(this.s.slice(this.i));
    if (!m) return false;
    this.i += m[0].length;
    return true;
  }

  private or(): Node {
    const children = [this.and()];
    for (;;) {
      const save = this.i;
      if (this.keyword('or')) { children.push(this.and()); continue; }
      this.ws();
      if (this.s[this.i] === ',') { this.i++; children.push(this.and()); continue; }
      this.i = save;
      break;
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private and(): Node {
    const children = [this.term()];
    for (;;) {
      const save = this.i;
      if (this.keyword('and')) { children.push(this.term()); continue; }
      this.ws();
      if (this.s[this.i] === ';') { this.i++; children.push(this.term()); continue; }
      this.i = save;
      break;
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private term(): Node {
    this.ws();
    if (this.s[this.i] === '(') {
      this.i++;
      const inner = this.or();
      this.ws();
      if (this.s[this.i] !== ')') this.fail();
      this.i++;
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Node {
    const sel = /^[^\s=!~<>();,"']+/.exec(this.s.slice(this.i));
    if (!sel) this.fail();
    this.i += sel[0].length;
    const rest = this.s.slice(this.i);
    const opMatch = /^(==|!=|=[a-zA-Z]*=)/.exec(rest);
    if (!opMatch) this.fail();
    const op = opMatch[0].toLowerCase();
    if (!OPS.has(op)) this.fail();
    this.i += opMatch[0].length;
    let values: string[];
    if (this.s[this.i] === '(') {
      this.i++;
      values = [this.value()];
      while (this.s[this.i] === ',') { this.i++; values.push(this.value()); }
      if (this.s[this.i] !== ')') this.fail();
      this.i++;
      if (op !== '=in=' && op !== '=out=') this.fail();
    } else {
      values = [this.value()];
      if (op === '=in=' || op === '=out=') this.fail();
    }
    return { kind: 'cmp', selector: sel[0], op, values };
  }

  private value(): string {
    const q = this.s[this.i];
    if (q === '"' || q === "'") {
      let out = '';
      this.i++;
      while (this.i < this.s.length && this.s[this.i] !== q) {
        if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) this.i++;
        out += this.s[this.i++];
      }
      if (this.s[this.i] !== q) this.fail();
      this.i++;
      return out;
    }
    const m = /^[^\s;,()"']+/.exec(this.s.slice(this.i));
    if (!m) this.fail();
    this.i += m[0].length;
    return m[0];
  }
}

export interface FieldSpec<T> {
  /** Lower-case key → value getter (arrays match when any element matches). */
  fields: Record<string, (e: T) => unknown>;
  /** Lower-case map prefixes (e.g. `attribute`, `metadata`) → getter by sub key. */
  maps?: Record<string, (e: T, key: string) => unknown>;
}

type Getter<T> = (e: T) => unknown;

/** Compiles `q` into a predicate; syntax errors and unknown keys throw the hawkBit 400s. */
export function compileFilter<T>(q: string | null | undefined, spec: FieldSpec<T>): (e: T) => boolean {
  if (q === null || q === undefined || q.trim() === '') return () => true;
  const ast = new Parser(q).parse();
  return build(ast, spec);
}

function build<T>(node: Node, spec: FieldSpec<T>): (e: T) => boolean {
  if (node.kind !== 'cmp') {
    const parts = node.children.map((c) => build(c, spec));
    return node.kind === 'and' ? (e) => parts.every((p) => p(e)) : (e) => parts.some((p) => p(e));
  }
  const get = resolve(node.selector, spec);
  const test = comparator(node.op, node.values);
  return (e) => {
    const v = get(e);
    const list = Array.isArray(v) ? v : [v];
    // Negative operators hold when no element matches the positive form.
    if (node.op === '!=' || node.op === '=out=' || node.op === '=not=') return !list.some((x) => test(x));
    return list.some((x) => test(x));
  };
}

function resolve<T>(selector: string, spec: FieldSpec<T>): Getter<T> {
  const key = selector.toLowerCase();
  const direct = spec.fields[key];
  if (direct) return direct;
  const dot = selector.indexOf('.');
  if (dot > 0 && spec.maps) {
    const map = spec.maps[key.slice(0, dot)];
    const sub = selector.slice(dot + 1);
    if (map && sub) return (e) => map(e, sub);
  }
  throw rsqlField(`The given search parameter field {${selector}} does not exist, must be one of the following fields ${Object.keys(spec.fields).map((k) => k.toUpperCase()).join(', ')}`);
}

function comparator(op: string, values: string[]): (x: unknown) => boolean {
  const v = values[0]!;
  switch (op) {
    case '==': case '!=':
      if (v.includes('*')) { const re = wildcard(v, false); return (x) => present(x) && re.test(String(x)); }
      return (x) => equal(x, v);
    case '=li=': { const re = wildcard(v, true); return (x) => present(x) && re.test(String(x)); }
    case '=in=': case '=out=': return (x) => values.some((w) => equal(x, w));
    case '=is=': case '=not=': return (x) => (v.toLowerCase() === 'null' ? !present(x) : equal(x, v));
    default: return (x) => present(x) && order(op, compare(x, v));
  }
}

function present(x: unknown): boolean {
  return x !== undefined && x !== null;
}

function equal(x: unknown, v: string): boolean {
  if (!present(x)) return false;
  if (typeof x === 'number') return isNumeric(v) && x === Number(v);
  return String(x).toLowerCase() === v.toLowerCase();
}

function isNumeric(v: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(v);
}

function compare(x: unknown, v: string): number {
  if (typeof x === 'number' && isNumeric(v)) return x - Number(v);
  const a = String(x).toLowerCase();
  const b = v.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function order(op: string, c: number): boolean {
  if (op === '=lt=') return c < 0;
  if (op === '=le=') return c <= 0;
  if (op === '=gt=') return c > 0;
  return c >= 0;
}

/** `*` (and for `=li=` also `%`) → any run, `_` → one char for `=li=`; the rest literal, case-insensitive. */
function wildcard(v: string, like: boolean): RegExp {
  let re = '';
  for (const ch of v) {
    if (ch === '*' || (like && ch === '%')) re += '.*';
    else if (like && ch === '_') re += '.';
    else re += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

/**
 * The values a filter pins one of `keys` to (lower-cased, as comparisons ignore case): every match
 * must have one of them. `key==v` without wildcards and `key=in=(…)` pin; an AND pins when any part
 * does, an OR when every branch does. undefined when the filter does not pin the key, or does not
 * parse (compileFilter reports that). Lets a list narrow to a few records before filtering.
 */
export function pinnedValues(q: string | null | undefined, keys: readonly string[]): Set<string> | undefined {
  if (q === null || q === undefined || q.trim() === '') return undefined;
  let ast: Node;
  try { ast = new Parser(q).parse(); } catch { return undefined; }
  return pins(ast, new Set(keys.map((k) => k.toLowerCase())));
}

function pins(node: Node, keys: ReadonlySet<string>): Set<string> | undefined {
  if (node.kind === 'cmp') {
    if (!keys.has(node.selector.toLowerCase())) return undefined;
    if (node.op === '=in=') return new Set(node.values.map((v) => v.toLowerCase()));
    if (node.op === '==' && !node.values[0]!.includes('*')) return new Set([node.values[0]!.toLowerCase()]);
    return undefined;
  }
  const parts = node.children.map((c) => pins(c, keys));
  if (node.kind === 'and') {
    // Any pinning part bounds the matches; the smallest bounds them best.
    const pinned = parts.filter((p): p is Set<string> => p !== undefined);
    return pinned.length === 0 ? undefined : pinned.reduce((a, b) => (b.size < a.size ? b : a));
  }
  if (parts.some((p) => p === undefined)) return undefined;
  return new Set(parts.flatMap((p) => [...p!]));
}
