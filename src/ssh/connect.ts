// One SSH connection with ssh2: over TCP, or over a channel the jump host forwarded (`sock`).
// Host keys are checked by the HostKeyPolicy; failures become typed errors naming the hop.
import type { Duplex } from 'node:stream';
import ssh2, { type Client } from 'ssh2';
import { connectError, type Hop } from './errors.js';
import type { HostKeyPolicy, HostTarget } from './host-key-policy.js';
import type { SshAuth } from './identity.js';

export interface ConnectParams {
  target: HostTarget;
  hop: Hop;
  auth: SshAuth;
  hostKeys: HostKeyPolicy;
  /** Handshake + auth bound; long when a host key question may be waiting for a human. */
  readyTimeoutMs: number;
  /** A forwarded channel to connect through, instead of TCP to target.host:target.port. */
  sock?: Duplex;
}

export function connectSsh(p: ConnectParams): Promise<Client> {
  const client = new ssh2.Client();
  const { verify, refusal } = p.hostKeys.verifier(p.target);
  // Through a jump host the "socket" is a forwarded channel. When the device drops the connection
  // the jump host sends EOF and keeps the channel half-open until we close our side; ssh2 does
  // not, so the session would hang (seen when a device's sshd dies during a PTY request).
  p.sock?.once('end', () => p.sock!.destroy());
  return new Promise<Client>((resolve, reject) => {
    let ready = false;
    client.on('error', (err) => {
      // After `ready`, a dropped connection surfaces as the channel closing; only the handshake rejects here.
      if (!ready) reject(refusal() ?? connectError(err, p.hop));
    });
    client.once('ready', () => {
      ready = true;
      resolve(client);
    });
    client.once('close', () => {
      if (!ready) reject(refusal() ?? connectError(new Error('connection closed during the handshake'), p.hop));
    });
    client.connect({
      ...(p.sock ? { sock: p.sock as never } : { host: p.target.host, port: p.target.port }),
      username: p.hop.user,
      hostVerifier: verify,
      algorithms: { serverHostKey: p.hostKeys.algorithms(p.target) as never },
      readyTimeout: p.readyTimeoutMs,
      keepaliveInterval: 15_000,
      ...(p.auth.privateKey ? { privateKey: p.auth.privateKey } : {}),
      ...(p.auth.passphrase !== undefined ? { passphrase: p.auth.passphrase } : {}),
      ...(p.auth.agent ? { agent: p.auth.agent } : {}),
    });
  });
}
