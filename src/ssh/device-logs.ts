// `cdm debug logs`: the unit's journal, or — on device images without systemd — its log file.
// journalctl's absence is detected by the shell's "command not found" status 127, not guessed
// from output, so a journal that is merely empty is still shown as such.
import { UsageError } from '../core/errors.js';

export const DEFAULT_UNIT = 'rauc-hawkbit-updater';

export interface RanCommand {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface DeviceLog extends RanCommand {
  source: 'journalctl' | 'file';
  command: string;
}

/** Unit names go into a remote shell command: only the characters systemd allows, no quoting games. */
export function parseUnit(text: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9@._:-]{0,254}$/.test(text)) {
    throw new UsageError(`invalid unit "${text}": letters, digits and @ . _ : - only (a systemd unit name, e.g. rauc-hawkbit-updater)`);
  }
  return text;
}

export function journalCommand(unit: string, lines: number): string {
  return `journalctl -u ${unit} -n ${lines} --no-pager`;
}

export function fileCommand(unit: string, lines: number): string {
  return `tail -n ${lines} /var/log/${unit}.log`;
}

export async function readDeviceLog(run: (command: string) => Promise<RanCommand>, unit: string, lines: number): Promise<DeviceLog> {
  const journal = journalCommand(unit, lines);
  const first = await run(journal);
  if (first.exitCode !== 127) return { source: 'journalctl', command: journal, ...first };
  const file = fileCommand(unit, lines);
  return { source: 'file', command: file, ...(await run(file)) };
}
