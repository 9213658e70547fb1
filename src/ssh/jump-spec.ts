// `user@host[:port]` as given to `--jump` or stored as a context's `ssh.jump`. Parsed before any
// connection is attempted, so a malformed value is exit 2 with nothing sent.
import { isIP } from 'node:net';
import { UsageError } from '../core/errors.js';

export interface SshEndpoint {
  user: string;
  host: string;
  port: number;
}

const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;

export function parsePort(text: string, what = 'port'): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError(`invalid ${what} "${text}": expected 1–65535`);
  }
  return Number(text);
}

/** A host name, an IPv4 address or an IPv6 address (without brackets). */
export function parseHost(text: string, what = 'host'): string {
  const host = text.trim();
  if (HOSTNAME.test(host) || isIPv6(host)) return host;
  throw new UsageError(`invalid ${what} "${text}": expected a host name or an IP address`);
}

/** `user@host`, `user@host:2222`, `user@[fd00::1]:2222`. The user is required: no silent default on a jump host. */
export function parseJumpSpec(text: string, what = '--jump'): SshEndpoint {
  const m = /^([^@\s]+)@(\[[^\]]+\]|[^:\s]+)(?::([^:\s]*))?$/.exec(text.trim());
  const hint = { hint: `${what} takes user@host or user@host:port, e.g. ops@jump.acme.example:2222` };
  if (!m) throw new UsageError(`invalid ${what} "${text}": expected user@host[:port]`, hint);
  const [, user, rawHost, rawPort] = m as unknown as [string, string, string, string | undefined];
  if (!USER.test(user)) throw new UsageError(`invalid ${what} "${text}": bad user name "${user}"`, hint);
  const bracketed = rawHost.startsWith('[');
  const host = bracketed ? rawHost.slice(1, -1) : rawHost;
  if (bracketed && !isIPv6(host)) throw new UsageError(`invalid ${what} "${text}": only IPv6 addresses go in brackets`, hint);
  try {
    return { user, host: parseHost(host, 'jump host'), port: rawPort === undefined ? 22 : parsePort(rawPort, 'jump port') };
  } catch (err) {
    throw new UsageError(`invalid ${what} "${text}": ${(err as Error).message}`, hint);
  }
}

export function formatEndpoint(e: SshEndpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.user}@${host}${e.port === 22 ? '' : `:${e.port}`}`;
}

function isIPv6(s: string): boolean {
  return isIP(s) === 6;
}
