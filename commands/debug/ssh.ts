import type { ReadVerb } from '../../src/core/command-spec.js';
import { CONNECTION_FLAGS, hostFlag, remoteCommand } from './options.js';

export const ssh: ReadVerb = {
  name: 'ssh',
  summary: 'Open a shell on a device, or run one command, over SSH to its WireGuard IP',
  description: 'Open a shell on a device, or run one command (after --), over SSH to its WireGuard IP as the bridge '
    + 'knows it (or --host), through the context\'s jump host (ssh.jump) or --jump. Host keys are checked against '
    + '<config dir>/known_hosts/<context> (OpenSSH format): a first contact asks on a terminal and needs '
    + '--accept-new-host-key elsewhere; a changed key is always refused. With a command, its exit status is cdm\'s.',
  args: [{ name: 'device', description: 'device id (as enrolled at the bridge)', required: true }],
  flags: [...CONNECTION_FLAGS, hostFlag],
  passThrough: true,
  examples: [
    { command: 'cdm debug ssh sensor-0042', description: 'interactive shell through the context\'s jump host' },
    { command: 'cdm debug ssh sensor-0042 -- systemctl status rauc-hawkbit-updater', description: 'one command; its exit status is cdm\'s' },
    { command: 'cdm debug ssh sensor-0042 --jump ops@vpn.acme.example -i ~/.ssh/cdm_ed25519 --accept-new-host-key -- uptime', description: 'first contact from a script' },
    { command: 'cdm debug ssh lab-board --host 10.8.0.77 --user admin', description: 'a device the bridge does not know' },
  ],
  mutates: false,
  async run(ctx) {
    const { openRemote, deviceAddress, connectionFlags } = await import('../../src/ssh/session.js');
    const flags = connectionFlags(ctx.flags);
    const command = remoteCommand(ctx.args);
    const f = ctx.f;
    const remote = await openRemote(f, flags);
    try {
      const device = String(ctx.args.device);
      const client = await remote.connect(await deviceAddress(f, device, flags));
      if (command !== undefined) {
        const { execStreamed } = await import('../../src/ssh/exec.js');
        // Piped input goes to the command (`… -- 'cat > /tmp/x' < file`); a terminal's does not.
        const exit = await execStreamed(client, command, { stdout: f.io.stdout, stderr: f.io.stderr, ...(f.tty.stdinIsTTY ? {} : { stdin: f.io.stdin }) });
        return exit.exitCode;
      }
      const { interactiveShell } = await import('../../src/ssh/shell.js');
      const exit = await interactiveShell(client, f.io, { pty: f.tty.stdinIsTTY, term: f.io.env.TERM || 'xterm-256color', label: `device ${device}` });
      return exit.exitCode;
    } finally {
      remote.close();
    }
  },
};
