// Subject alternative names as DER GeneralNames (RFC 5280 §4.2.1.6), the value of the
// subjectAltName extension in the CSRs cdm makes. The string forms are IA5String, so ASCII only:
// a name that is not is refused rather than mangled.
import { isIP } from 'node:net';
import { UsageError } from '../core/errors.js';
import { contextPrimitive, ia5Bytes, isAscii, sequence } from './der.js';
import type { San } from './sans.js';

/** GeneralName CHOICE tags: rfc822Name [1], dNSName [2], uniformResourceIdentifier [6], iPAddress [7]. */
const TAG: Record<San['type'], number> = { email: 1, dns: 2, url: 6, ip: 7 };

export function generalNames(sans: readonly San[]): Buffer {
  return sequence(...sans.map(generalName));
}

function generalName(san: San): Buffer {
  if (san.type === 'ip') return contextPrimitive(TAG.ip, ipAddressBytes(san.value));
  if (!isAscii(san.value)) throw new UsageError(`SAN "${san.value}" is not ASCII: certificates carry DNS names, email addresses and URIs as IA5String`);
  return contextPrimitive(TAG[san.type], ia5Bytes(san.value));
}

/** 4 bytes for IPv4, 16 for IPv6 (`::` and a trailing dotted quad included), network order. */
export function ipAddressBytes(text: string): Buffer {
  const kind = isIP(text);
  if (kind === 4) return Buffer.from(text.split('.').map(Number));
  if (kind !== 6) throw new UsageError(`"${text}" is not an IP address`);
  if (text.includes('%')) throw new UsageError(`"${text}": a zone id (%…) is local to one host and cannot go into a certificate`);
  let groups = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    groups = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = groups.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const words = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  words.forEach((w, i) => out.writeUInt16BE(parseInt(w, 16), i * 2));
  return out;
}
