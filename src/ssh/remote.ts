// Reaching devices: directly, or through one jump host whose connection is opened once and shared
// by every device (each device gets its own forwarded channel, `direct-tcpip`, and its own SSH
// session end to end — the jump host never sees the device session in clear).
import type { Client, ClientChannel } from 'ssh2';
import { connectSsh } from './connect.js';
import { forwardError, type Hop } from './errors.js';
import type { HostKeyPolicy } from './host-key-policy.js';
import type { SshAuth } from './identity.js';
import { formatEndpoint, type SshEndpoint } from './jump-spec.js';

export interface RemoteAccessOptions {
  jump?: SshEndpoint;
  /** Login on the devices (default root). */
  user: string;
  auth: SshAuth;
  hostKeys: HostKeyPolicy;
  readyTimeoutMs: number;
  /** Closing every connection when the command is interrupted or times out. */
  signal: AbortSignal;
}

export interface DeviceAddress {
  device: string;
  host: string;
  port: number;
}

export class RemoteAccess {
  private jumpClient: Promise<Client> | undefined;
  private readonly open = new Set<Client>();

  constructor(private readonly opts: RemoteAccessOptions) {
    opts.signal.addEventListener('abort', () => this.close(), { once: true });
  }

  get jumpLabel(): string | undefined {
    return this.opts.jump ? `jump host ${formatEndpoint(this.opts.jump)}` : undefined;
  }

  /** An authenticated session on the device (close it with `end()`, or all with `close()`). */
  async connect(addr: DeviceAddress): Promise<Client> {
    const label = `device ${addr.device} (${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${addr.port})`;
    const hop: Hop = { label, user: this.opts.user, authSource: this.opts.auth.source };
    const target = { host: addr.host, port: addr.port, label: `device ${addr.device}`, comment: `cdm device ${addr.device}` };
    const common = { auth: this.opts.auth, hostKeys: this.opts.hostKeys, readyTimeoutMs: this.opts.readyTimeoutMs };
    if (!this.opts.jump) return this.track(await connectSsh({ ...common, target, hop }));
    const jump = await this.jump();
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      jump.forwardOut('127.0.0.1', 0, addr.host, addr.port, (err, stream) => (err ? reject(forwardError(err, formatEndpoint(this.opts.jump!), label)) : resolve(stream)));
    });
    return this.track(await connectSsh({ ...common, target, hop, sock: channel }));
  }

  /** Opens the jump connection now, so a broken jump host fails the command once, not per device. */
  async prepare(): Promise<void> {
    if (this.opts.jump) await this.jump();
  }

  /** Ends every session and the jump connection. */
  close(): void {
    for (const c of this.open) c.end();
    this.open.clear();
  }

  private jump(): Promise<Client> {
    const jump = this.opts.jump!;
    this.jumpClient ??= connectSsh({
      target: { host: jump.host, port: jump.port, label: `jump host ${formatEndpoint(jump)}`, comment: 'cdm jump host' },
      hop: { label: `jump host ${formatEndpoint(jump)}`, user: jump.user, authSource: this.opts.auth.source },
      auth: this.opts.auth,
      hostKeys: this.opts.hostKeys,
      readyTimeoutMs: this.opts.readyTimeoutMs,
    }).then((c) => this.track(c));
    return this.jumpClient;
  }

  private track(client: Client): Client {
    this.open.add(client);
    client.once('close', () => this.open.delete(client));
    return client;
  }
}
