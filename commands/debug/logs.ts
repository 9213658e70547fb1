import type { ReadVerb } from '../../src/core/command-spec.js';
import { parsePositiveInt } from '../../src/core/parse.js';
import { DEFAULT_UNIT, parseUnit } from '../../src/ssh/device-logs.js';
import { CONNECTION_FLAGS, hostFlag } from './options.js';

export const logs: ReadVerb = {
  name: 'logs',
  summary: 'Show the last lines of a unit\'s log on a device (journalctl, or /var/log/<unit>.log without it)',
  description: 'Show the last lines of a unit\'s log on a device over SSH: `journalctl -u <unit> -n <n> --no-pager`, '
    + 'or `tail -n <n> /var/log/<unit>.log` on devices without journalctl (detected by exit status 127). '
    + 'Connection flags as for `cdm debug ssh`. The exit status is the remote command\'s.',
  args: [{ name: 'device', description: 'device id (as enrolled at the bridge)', required: true }],
  flags: [
    { flags: '--unit <name>', description: `systemd unit (default ${DEFAULT_UNIT})`, parse: parseUnit },
    { flags: '-n, --lines <n>', description: 'last n lines (default 50)', parse: (v) => parsePositiveInt(v, 'line count') },
    ...CONNECTION_FLAGS,
    hostFlag,
  ],
  examples: [
    { command: 'cdm debug logs sensor-0042', description: 'the OTA updater\'s last 50 lines' },
    { command: 'cdm debug logs sensor-0042 --unit cdm-ttyd -n 200 -o json', description: 'another unit, as data' },
  ],
  mutates: false,
  async run(ctx) {
    const { openRemote, deviceAddress, connectionFlags } = await import('../../src/ssh/session.js');
    const { readDeviceLog } = await import('../../src/ssh/device-logs.js');
    const { execCaptured } = await import('../../src/ssh/exec.js');
    const f = ctx.f;
    const device = String(ctx.args.device);
    const unit = (ctx.flags.unit as string | undefined) ?? DEFAULT_UNIT;
    const lines = (ctx.flags.lines as number | undefined) ?? 50;
    const flags = connectionFlags(ctx.flags);
    const remote = await openRemote(f, flags);
    try {
      const client = await remote.connect(await deviceAddress(f, device, flags));
      const log = await readDeviceLog((command) => execCaptured(client, command), unit, lines);
      const out = f.output();
      if (out.machine) {
        await out.item('DeviceLog', { device, unit, source: log.source, command: log.command, exitCode: log.exitCode, lines: log.stdout === '' ? [] : log.stdout.replace(/\n$/, '').split('\n'), stderr: log.stderr });
      } else {
        if (log.source === 'file') out.note(`journalctl is not installed on ${device}: showing /var/log/${unit}.log`);
        if (log.stdout !== '') await out.raw(log.stdout);
        if (log.stderr !== '') f.io.stderr.write(log.stderr);
      }
      return log.exitCode;
    } finally {
      remote.close();
    }
  },
};
