// IP address text <-> bytes, as Go's net.IP does it: SANs are compared as ip.String(), and the
// 403 messages print addresses in that form.
import { isIP } from 'node:net';

export function ipToBytes(text: string): Buffer | undefined {
  const v = isIP(text);
  if (v === 4) return Buffer.from(text.split('.').map(Number));
  if (v !== 6) return undefined;
  let s = text;
  let tail: number[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) { tail = v4[1]!.split('.').map(Number); s = s.slice(0, -v4[1]!.length) + '0:0'; }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const parse = (p: string): number[] => (p ? p.split(':').map((h) => parseInt(h, 16)) : []);
  const a = parse(head);
  const b = rest === undefined ? [] : parse(rest);
  const groups = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  if (tail.length) Buffer.from(tail).copy(out, 12);
  return out;
}

export function ipToString(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) return `?${b.toString('hex')}`;
  // IPv4-mapped addresses print as IPv4 in Go.
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return [...b.subarray(12)].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  // RFC 5952: compress the longest run (length >= 2) of zero groups.
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
