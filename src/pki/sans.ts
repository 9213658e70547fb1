// Subject alternative names given as plain strings (`--san`, token `sans`) sorted into the
// four kinds step-ca compares one by one (a CSR's DNS set must equal the token's DNS set, …).
import { isIP } from 'node:net';
import { UsageError } from '../core/errors.js';

export type SanType = 'dns' | 'ip' | 'email' | 'url';

export interface San {
  type: SanType;
  value: string;
}

const DNS = /^(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

export function classifySan(text: string): San {
  const s = text.trim();
  if (isIP(s.replace(/^\[|\]$/g, ''))) return { type: 'ip', value: s.replace(/^\[|\]$/g, '') };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^(spiffe|urn):/i.test(s)) return { type: 'url', value: s };
  if (/^[^@\s]+@[^@\s]+$/.test(s)) return { type: 'email', value: s };
  if (DNS.test(s) && s.length <= 253) return { type: 'dns', value: s };
  throw new UsageError(`invalid SAN "${text}": expected a DNS name, an IP address, an email address or a URI`);
}

/** `--san a,b --san c` → unique SANs in order; the common name joins them (step's default). */
export function collectSans(commonName: string, given: readonly string[] | undefined): San[] {
  const raw = (given ?? []).flatMap((g) => g.split(',')).map((s) => s.trim()).filter(Boolean);
  const all = raw.length === 0 ? [commonName] : [commonName, ...raw];
  const seen = new Set<string>();
  const out: San[] = [];
  for (const [i, s] of all.entries()) {
    let san: San;
    try {
      san = classifySan(s);
    } catch (err) {
      // The common name is a SAN too, so say which one was typed as what.
      if (i === 0) throw new UsageError(`invalid common name "${commonName}": it is also the first SAN, so it must be a DNS name, an IP address, an email address or a URI`);
      throw err;
    }
    const key = `${san.type}:${san.value}`;
    if (!seen.has(key)) { seen.add(key); out.push(san); }
  }
  return out;
}
