// `cdm debug exec`: one command on many devices, a bounded number at a time, one result per
// device. A device that cannot be found, reached or logged into, or whose command exits non-zero,
// is a failed result — never the end of the run; the run as a whole then exits 6. Failures that
// concern every device (bad identity, jump host down, bridge without the lookup) end it at once.
import { NotFoundError, PartialFailure } from '../core/errors.js';
import type { Factory } from '../core/factory.js';
import type { View } from '../core/output.js';
import { DEBUG_NOT_FOUND_HINT, getBridgeDevice, listBridgeDevices, NoWireguardIpError, wireguardAddress, type BridgeDevice } from '../services/bridge/devices.js';
import { execCaptured } from './exec.js';
import { pool } from './pool.js';
import { openRemote, type DebugConnectionFlags } from './session.js';
import { count } from '../core/plural.js';

export interface ExecResult {
  device: string;
  /** The address used (the WireGuard IP); null when the device was not found. */
  host: string | null;
  /** The remote exit status; null when the command never ran. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why the command did not run (not found, unreachable, auth refused, host key). */
  error: string | null;
}

export const EXEC_RESULT_VIEW: View<ExecResult> = [
  { header: 'DEVICE', value: (r) => r.device },
  { header: 'HOST', value: (r) => r.host, wide: true },
  { header: 'EXIT', value: (r) => r.exitCode },
  { header: 'STDOUT', value: (r) => r.stdout.trimEnd() },
  { header: 'STDERR', value: (r) => r.stderr.trimEnd() },
  { header: 'ERROR', value: (r) => r.error },
];

export interface FleetExecOptions {
  /** Device ids, each looked up at the bridge. */
  ids?: string[];
  /** Or: every device of the bridge's list that passes this filter. */
  filter?: (device: BridgeDevice) => boolean;
  command: string;
  concurrency: number;
  connection: DebugConnectionFlags;
}

export interface FleetRun {
  results: AsyncIterable<ExecResult>;
  /** Position of a device in the request, to print tables in a stable order. */
  order(device: string): number;
  /** Closes every connection (also after an error while printing). */
  close(): void;
  /** After the results were consumed: PartialFailure (exit 6) if any device failed. */
  check(): void;
}

export async function runOnDevices(f: Factory, opts: FleetExecOptions): Promise<FleetRun> {
  const remote = await openRemote(f, opts.connection);
  const targets: Array<{ device: string; host?: string }> = opts.ids
    ? opts.ids.map((device) => ({ device }))
    : (await listBridgeDevices(f)).filter(opts.filter ?? (() => true)).map((d) => (d.wireguard_ip === null || d.wg_public_key === null || d.wg_public_key === '' ? { device: d.device_id } : { device: d.device_id, host: d.wireguard_ip }));
  if (targets.length === 0) throw new NotFoundError('no device of the bridge matches --query', { hint: 'check the filter against `GET /devices` of the bridge' });
  await remote.prepare();
  const positions = new Map(targets.map((t, i) => [t.device, i]));
  let failed = 0;

  const one = async (t: { device: string; host?: string }): Promise<ExecResult> => {
    const result: ExecResult = { device: t.device, host: t.host ?? null, exitCode: null, stdout: '', stderr: '', error: null };
    try {
      result.host ??= wireguardAddress(await getBridgeDevice(f, t.device, DEBUG_NOT_FOUND_HINT));
    } catch (err) {
      // "No such device" and "no WireGuard IP" are this device's problem; a bridge that fails fails the run.
      if (!(err instanceof NotFoundError) && !(err instanceof NoWireguardIpError)) throw err;
      result.error = err.message;
      return result;
    }
    try {
      const client = await remote.connect({ device: t.device, host: result.host, port: opts.connection.port });
      try {
        const out = await execCaptured(client, opts.command);
        Object.assign(result, { exitCode: out.exitCode, stdout: out.stdout, stderr: out.stderr });
        if (out.truncated) result.error = 'output truncated (over 1 MiB on a stream)';
      } finally {
        client.end();
      }
    } catch (err) {
      result.error = (err as Error).message;
    }
    return result;
  };

  async function* results(): AsyncGenerator<ExecResult> {
    for await (const r of pool(targets, opts.concurrency, one)) {
      if (r.exitCode !== 0) failed++;
      yield r;
    }
  }

  return {
    results: results(),
    order: (device) => positions.get(device) ?? Number.MAX_SAFE_INTEGER,
    close: () => remote.close(),
    check: () => {
      if (failed > 0) throw new PartialFailure(`${failed} of ${count(targets.length, 'device')} failed`, { hint: 'see each device\'s exitCode and error' });
    },
  };
}
