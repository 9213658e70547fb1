// Flags shared by the debug verbs. Their parsers run before anything is sent, so bad input is exit 2.
import type { FlagSpec } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { parseHost, parseJumpSpec, parsePort } from '../../src/ssh/jump-spec.js';

export const jumpFlag: FlagSpec = {
  flags: '--jump <user@host[:port]>',
  description: 'jump host to reach the device through (default: the context\'s ssh.jump; none: connect directly)',
  parse: (v) => parseJumpSpec(v, 'jump host'),
};

export const CONNECTION_FLAGS: readonly FlagSpec[] = [
  jumpFlag,
  { flags: '-i, --identity <file>', description: 'private key to log in with (default: the SSH agent at SSH_AUTH_SOCK); a passphrase is asked on a terminal', complete: 'files' },
  { flags: '-l, --user <name>', description: 'login name on the device (default root)', parse: parseUser },
  { flags: '-p, --port <n>', description: 'SSH port on the device (default 22)', parse: (v) => parsePort(v) },
  { flags: '--accept-new-host-key', description: 'trust and record a host key seen for the first time (a changed key is always refused)' },
];

export const hostFlag: FlagSpec = {
  flags: '--host <ip>',
  description: 'the device\'s address, skipping the bridge lookup (devices the bridge does not know)',
  parse: (v) => parseHost(v),
};

function parseUser(v: string): string {
  if (!/^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/.test(v)) throw new UsageError(`invalid user name "${v}"`);
  return v;
}

/** The remote command after `--`, as ssh joins it: words separated by spaces, run by the login shell. */
export function remoteCommand(args: Record<string, unknown>): string | undefined {
  const rest = (args.rest as string[] | undefined) ?? [];
  return rest.length === 0 ? undefined : rest.join(' ');
}
