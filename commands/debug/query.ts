// `--query` of `cdm debug exec`: a filter over the bridge's device list (GET /devices).
// Grammar: terms joined by `;` (all must hold); a term is `<field>==<glob>` or `<field>!=<glob>`;
// `*` matches any run of characters and `?` one; fields are the bridge's (device_id, wireguard_ip,
// wg_public_key, cert_serial, cert_not_after, enrolled_at) or their camelCase forms.
//   device_id==sensor-*            wireguard_ip==10.8.0.*;device_id!=sensor-07
import { UsageError } from '../../src/core/errors.js';

const FIELDS = ['device_id', 'wireguard_ip', 'wg_public_key', 'cert_serial', 'cert_not_after', 'enrolled_at'] as const;
type Field = (typeof FIELDS)[number];

export interface DeviceQuery {
  text: string;
  terms: Array<{ field: Field; negate: boolean; pattern: RegExp }>;
}

export function parseDeviceQuery(text: string): DeviceQuery {
  const terms = text.split(';').map((t) => t.trim());
  if (terms.some((t) => t === '')) throw new UsageError(`invalid --query "${text}": empty term (terms are joined by ";")`);
  return {
    text,
    terms: terms.map((term) => {
      const m = /^([A-Za-z_]+)\s*(==|!=)\s*(.*)$/.exec(term);
      if (!m) throw new UsageError(`invalid --query term "${term}": expected <field>==<value> or <field>!=<value>, e.g. device_id==sensor-*`);
      const field = fieldName(m[1]!);
      if (!field) throw new UsageError(`invalid --query field "${m[1]}": one of ${FIELDS.join(', ')}`);
      return { field, negate: m[2] === '!=', pattern: glob(m[3]!) };
    }),
  };
}

export function matchesQuery(query: DeviceQuery, device: Partial<Record<Field, unknown>>): boolean {
  return query.terms.every(({ field, negate, pattern }) => {
    const value = device[field];
    const hit = pattern.test(value === undefined || value === null ? '' : String(value));
    return negate ? !hit : hit;
  });
}

function fieldName(name: string): Field | undefined {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return (FIELDS as readonly string[]).includes(snake) ? (snake as Field) : undefined;
}

function glob(value: string): RegExp {
  return new RegExp(`^${value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}
