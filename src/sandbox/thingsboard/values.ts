// Key-value entries as ThingsBoard types them (KvEntry: BOOLEAN, LONG, DOUBLE, STRING, JSON) and
// renders them: `getValueAsString()` (Java's Double.toString for doubles) for the default
// non-strict answers, the typed value for `useStrictDataTypes=true` and attribute reads.

export type KvValue =
  | { type: 'BOOLEAN'; v: boolean }
  | { type: 'LONG'; v: number }
  | { type: 'DOUBLE'; v: number }
  | { type: 'STRING'; v: string }
  | { type: 'JSON'; v: string };

/** JsonConverter's error prefix for values it cannot type. */
export const CANT_PARSE = "Can't parse value: ";

/** commons-lang3 NumberUtils.isParsable: optional minus, digits, at most one dot, no exponent. */
const PARSABLE = /^-?(\d+(\.\d*)?|\.\d+)$/;

function numberKv(n: number): KvValue {
  return Number.isSafeInteger(n) ? { type: 'LONG', v: n } : { type: 'DOUBLE', v: n };
}

/**
 * Types one telemetry value the way JsonConverter does for device messages and the REST
 * `timeseries` endpoint: type cast is on by default (`transport.json.type_cast_enabled`), so the
 * string "21.5" becomes a DOUBLE and "21" a LONG; objects and arrays become JSON entries.
 */
export function telemetryValue(value: unknown): KvValue {
  if (typeof value === 'boolean') return { type: 'BOOLEAN', v: value };
  if (typeof value === 'number') return numberKv(value);
  if (typeof value === 'string') {
    if (PARSABLE.test(value)) return value.includes('.') ? { type: 'DOUBLE', v: Number(value) } : numberKv(Number(value));
    return { type: 'STRING', v: value };
  }
  if (value !== null && typeof value === 'object') return { type: 'JSON', v: JSON.stringify(value) };
  throw new Error(CANT_PARSE + JSON.stringify(value));
}

/** Attribute values from the REST API (Jackson node types, no string cast); `null` values are skipped by the controller. */
export function attributeValue(value: unknown): KvValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return { type: 'STRING', v: value };
  if (typeof value === 'boolean') return { type: 'BOOLEAN', v: value };
  if (typeof value === 'number') return numberKv(value);
  return { type: 'JSON', v: JSON.stringify(value) };
}

/** KvEntry.getValueAsString(). */
export function asString(kv: KvValue): string {
  switch (kv.type) {
    case 'DOUBLE': return javaDouble(kv.v);
    case 'BOOLEAN': case 'LONG': return String(kv.v);
    default: return kv.v;
  }
}

/** The typed value (JSON entries parsed back into JSON). */
export function strict(kv: KvValue): unknown {
  return kv.type === 'JSON' ? JSON.parse(kv.v) : kv.v;
}

/** Java's Double.toString: plain between 1e-3 and 1e7 (always with a fraction), else d.dddE±n. */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}
