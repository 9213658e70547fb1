// What the debug verbs share: turn their flags and the context into a RemoteAccess (jump host,
// identity, per-context known_hosts) and device names into addresses (bridge lookup or --host).
// Everything that can be bad input is checked here before the first byte goes out.
import type { Factory } from '../core/factory.js';
import { DEBUG_NOT_FOUND_HINT, getBridgeDevice, wireguardAddress } from '../services/bridge/devices.js';
import { HostKeyPolicy } from './host-key-policy.js';
import { resolveIdentity } from './identity.js';
import { parseJumpSpec, type SshEndpoint } from './jump-spec.js';
import { KnownHostsFile, knownHostsPath } from './known-hosts-file.js';
import { RemoteAccess, type DeviceAddress } from './remote.js';

export interface DebugConnectionFlags {
  jump?: SshEndpoint;
  identity?: string;
  user: string;
  port: number;
  acceptNewHostKey: boolean;
  /** Skip the bridge lookup (devices the bridge does not know). */
  host?: string;
}

/** A first-contact question may wait for a human; otherwise a silent host fails in 20 s. */
const READY_TIMEOUT_MS = 20_000;
const READY_TIMEOUT_PROMPT_MS = 10 * 60_000;

export async function openRemote(f: Factory, flags: DebugConnectionFlags): Promise<RemoteAccess> {
  const contextName = await f.contextName();
  const context = contextName === undefined ? undefined : await f.context();
  let jump = flags.jump;
  if (jump === undefined && context?.ssh?.jump !== undefined) jump = parseJumpSpec(context.ssh.jump, `ssh.jump of context "${context.name}"`);
  const prompter = f.prompter();
  // SSH_AUTH_SOCK is OpenSSH's variable, not cdm's: read as every ssh tool reads it.
  const auth = await resolveIdentity({ identityFile: flags.identity, agentSocket: f.io.env.SSH_AUTH_SOCK, prompter });
  const out = f.output();
  const hostKeys = new HostKeyPolicy({
    file: new KnownHostsFile(knownHostsPath(f.paths.configDir, context?.name)),
    acceptNew: flags.acceptNewHostKey,
    prompter,
    warn: (line) => out.warn(line),
    note: (line) => out.note(line),
  });
  return new RemoteAccess({
    ...(jump ? { jump } : {}),
    user: flags.user,
    auth,
    hostKeys,
    readyTimeoutMs: prompter.interactive && !flags.acceptNewHostKey ? READY_TIMEOUT_PROMPT_MS : READY_TIMEOUT_MS,
    signal: f.signal,
  });
}

/** The device's WireGuard IP from the bridge, unless --host names it. */
export async function deviceAddress(f: Factory, device: string, flags: Pick<DebugConnectionFlags, 'host' | 'port'>): Promise<DeviceAddress> {
  if (flags.host !== undefined) return { device, host: flags.host, port: flags.port };
  const found = await getBridgeDevice(f, device, DEBUG_NOT_FOUND_HINT);
  return { device, host: wireguardAddress(found), port: flags.port };
}

/** The parsed verb flags (see commands/debug/options.ts) as connection settings. */
export function connectionFlags(raw: Record<string, unknown>): DebugConnectionFlags {
  const flags: DebugConnectionFlags = {
    user: (raw.user as string | undefined) ?? 'root',
    port: (raw.port as number | undefined) ?? 22,
    acceptNewHostKey: raw.acceptNewHostKey === true,
  };
  if (raw.jump !== undefined) flags.jump = raw.jump as SshEndpoint;
  if (raw.identity !== undefined) flags.identity = raw.identity as string;
  if (raw.host !== undefined) flags.host = raw.host as string;
  return flags;
}
