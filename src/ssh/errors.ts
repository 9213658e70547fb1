// ssh2 reports failures as plain Errors with a `level`; this turns them into cdm's typed errors,
// naming the hop (jump host or device) so "which one failed" never needs guessing:
// auth refused → 4, unreachable / handshake / channel refused → 1.
import { AuthError, CdmError } from '../core/errors.js';

export interface Hop {
  /** "jump host ops@jump:2222", "device dev-1 (10.8.0.5:22)". */
  label: string;
  user: string;
  /** How we authenticated ("identity …", "ssh-agent (…)"). */
  authSource: string;
}

type Ssh2Error = Error & { level?: string; code?: string; reason?: number | string };

export function connectError(err: unknown, hop: Hop): CdmError {
  if (err instanceof CdmError) return err;
  const e = err as Ssh2Error;
  const why = e.code ? `${e.code} (${e.message})` : e.message;
  switch (e.level) {
    case 'client-authentication':
      return new AuthError(`${hop.label}: authentication refused for user "${hop.user}" with ${hop.authSource}`, {
        hint: 'check that the public key is in the authorized_keys of that user on that host, and the user name (--user, or the user@ of --jump)',
      });
    case 'agent':
      return new CdmError(`ssh-agent failed while authenticating to ${hop.label}: ${e.message}`, { hint: 'check SSH_AUTH_SOCK and `ssh-add -l`, or pass --identity <file>' });
    case 'client-socket':
    case 'client-dns':
      return new CdmError(`${hop.label} is unreachable: ${why}`);
    case 'client-timeout':
      return new CdmError(`${hop.label} did not complete the SSH handshake in time: ${e.message}`);
    case 'handshake':
    case 'protocol':
      return new CdmError(`${hop.label}: SSH handshake failed: ${e.message}`);
    default:
      return new CdmError(`${hop.label}: ${why}`);
  }
}

/** The jump host refused to open the forwarded channel (sshd's reason: refused, no route, prohibited). */
export function forwardError(err: unknown, jump: string, target: string): CdmError {
  const reason = (err as Error).message.replace(/^\(SSH\)\s*/, '');
  return new CdmError(`jump host ${jump} could not reach ${target}: ${reason}`, {
    hint: 'is the device online in WireGuard (`wg show` on the jump host), and does the jump host allow TCP forwarding (AllowTcpForwarding)?',
  });
}
