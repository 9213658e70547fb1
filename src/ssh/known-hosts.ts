// OpenSSH known_hosts format (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"), so the file cdm keeps can
// be read by `ssh -o UserKnownHostsFile=…`, edited with `ssh-keygen -R`, and seeded from an
// existing ~/.ssh/known_hosts. cdm WRITES plain entries (`[10.8.0.5]:22 ssh-ed25519 AAAA… device dev-1`):
// the file names which device a line belongs to, which is what an operator needs when a key
// changes. It READS plain, wildcard/negated patterns and hashed (`|1|salt|hmac`) entries alike.
import { createHmac } from 'node:crypto';

export interface KnownHostEntry {
  /** 1-based line number in the file (what the operator is told to fix). */
  line: number;
  marker?: '@revoked' | '@cert-authority';
  /** The host field as written: `host`, `[host]:port`, patterns or a `|1|…` hash. */
  hosts: string;
  keyType: string;
  /** Base64 of the public key blob. */
  key: string;
  comment?: string;
}

export type HostKeyStatus =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown' }
  /** The host is known with other keys: a man-in-the-middle or a reinstalled device. */
  | { status: 'changed'; entries: KnownHostEntry[] }
  | { status: 'revoked'; entry: KnownHostEntry };

/** How a host is named in known_hosts: plain on port 22, `[host]:port` otherwise (as OpenSSH does). */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    const [hosts, keyType, key, ...comment] = fields;
    // Malformed lines are skipped, as ssh does, rather than making the whole file unusable.
    if (hosts === undefined || keyType === undefined || key === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return;
    const entry: KnownHostEntry = { line: i + 1, hosts, keyType, key };
    if (marker) entry.marker = marker;
    if (comment.length > 0) entry.comment = comment.join(' ');
    entries.push(entry);
  });
  return entries;
}

export function formatKnownHostsLine(host: string, port: number, keyType: string, keyBase64: string, comment?: string): string {
  return `${hostKeyName(host, port)} ${keyType} ${keyBase64}${comment ? ` ${comment.replace(/[\r\n]+/g, ' ')}` : ''}`;
}

/** Does this entry's host field name `host` on `port`? */
export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = hostKeyName(host, port).toLowerCase();
  if (entry.hosts.startsWith('|1|')) return hashedMatches(entry.hosts, name);
  let matched = false;
  for (const pattern of entry.hosts.toLowerCase().split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatches(pattern.slice(1), name)) return false; // a negated match excludes the line
    } else if (globMatches(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/**
 * What the presented key means for this host. A key in a @revoked line is refused even when
 * another line accepts it; any other known key (of any type) that differs makes it "changed".
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, keyBase64: string): HostKeyStatus {
  const forHost = entries.filter((e) => e.marker !== '@cert-authority' && entryMatchesHost(e, host, port));
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key === keyBase64);
  if (revoked) return { status: 'revoked', entry: revoked };
  const same = forHost.find((e) => e.marker === undefined && e.key === keyBase64);
  if (same) return { status: 'known', entry: same };
  const others = forHost.filter((e) => e.marker === undefined);
  return others.length === 0 ? { status: 'unknown' } : { status: 'changed', entries: others };
}

/** Key types already recorded for the host, to ask the server for one of those first (as ssh does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port)).map((e) => e.keyType))];
}

function hashedMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

/** OpenSSH patterns: `*` any run, `?` one character; everything else literal. */
function globMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name);
}
