import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { parseUnit, readDeviceLog, type RanCommand } from '../../../src/ssh/device-logs.js';

function device(answers: Record<string, RanCommand>) {
  const ran: string[] = [];
  return { ran, run: async (cmd: string) => { ran.push(cmd); return answers[cmd] ?? { exitCode: 127, stdout: '', stderr: `sh: ${cmd.split(' ')[0]}: not found\n` }; } };
}

describe('debug logs: journalctl, else the log file', () => {
  it('uses journalctl when it exists, even when it exits non-zero', async () => {
    const d = device({ 'journalctl -u rauc-hawkbit-updater -n 50 --no-pager': { exitCode: 1, stdout: '', stderr: 'Failed to add filter\n' } });
    const log = await readDeviceLog(d.run, 'rauc-hawkbit-updater', 50);
    expect(log).toMatchObject({ source: 'journalctl', exitCode: 1 });
    expect(d.ran).toHaveLength(1);
  });

  it('falls back to tail of /var/log/<unit>.log on exit 127', async () => {
    const d = device({ 'tail -n 5 /var/log/rauc-hawkbit-updater.log': { exitCode: 0, stdout: 'a\nb\n', stderr: '' } });
    const log = await readDeviceLog(d.run, 'rauc-hawkbit-updater', 5);
    expect(d.ran).toEqual(['journalctl -u rauc-hawkbit-updater -n 5 --no-pager', 'tail -n 5 /var/log/rauc-hawkbit-updater.log']);
    expect(log).toEqual({ source: 'file', command: 'tail -n 5 /var/log/rauc-hawkbit-updater.log', exitCode: 0, stdout: 'a\nb\n', stderr: '' });
  });

  it.each(['x; reboot', '$(id)', '../../etc/shadow', 'a b', '-u', ''])('refuses unit %j (it goes into a remote shell)', (unit) => {
    expect(() => parseUnit(unit)).toThrow(UsageError);
  });

  it('accepts systemd unit names', () => {
    for (const u of ['rauc-hawkbit-updater', 'cdm-ttyd.service', 'getty@tty1.service', 'dpkg']) expect(parseUnit(u)).toBe(u);
  });
});
