import type { ReadVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { parsePositiveInt } from '../../src/core/parse.js';
import { CONNECTION_FLAGS, remoteCommand } from './options.js';
import { matchesQuery, parseDeviceQuery, type DeviceQuery } from './query.js';

export const exec: ReadVerb = {
  name: 'exec',
  summary: 'Run one command on many devices over SSH; one result per device',
  description: 'Run one command on many devices over SSH (through the jump host, one shared connection), '
    + 'at most --concurrency at a time. Devices come from --devices or from the bridge\'s device list filtered by '
    + '--query: terms joined by ";" (all must hold), each <field>==<glob> or <field>!=<glob> with * and ?, over '
    + 'device_id, wireguard_ip, wg_public_key, cert_serial, cert_not_after, enrolled_at. Each result has device, '
    + 'host, exitCode, stdout, stderr, error (ndjson streams them as they finish). A device fails when it cannot be '
    + 'reached or its command exits non-zero; then cdm exits 6.',
  flags: [
    { flags: '--devices <ids>', description: 'comma-separated device ids', parse: parseDeviceList },
    { flags: '--query <filter>', description: 'filter over the bridge\'s devices, e.g. "device_id==sensor-*;wireguard_ip!=10.8.0.9"', parse: parseDeviceQuery },
    { flags: '--concurrency <n>', description: 'devices at a time (default 8)', parse: (v) => parsePositiveInt(v, 'concurrency') },
    ...CONNECTION_FLAGS,
  ],
  passThrough: true,
  examples: [
    { command: 'cdm debug exec --devices sensor-01,sensor-02 -- cat /etc/os-release', description: 'two devices' },
    { command: 'cdm debug exec --query "device_id==sensor-*" --concurrency 16 -o ndjson -- df -h /data', description: 'every sensor, results streamed as they finish' },
  ],
  mutates: false,
  async run(ctx) {
    const command = remoteCommand(ctx.args);
    if (command === undefined) throw new UsageError('no command: put it after --, e.g. cdm debug exec --devices d1,d2 -- uptime');
    const ids = ctx.flags.devices as string[] | undefined;
    const query = ctx.flags.query as DeviceQuery | undefined;
    if ((ids === undefined) === (query === undefined)) throw new UsageError('pass exactly one of --devices <ids> or --query <filter>');
    const { runOnDevices, EXEC_RESULT_VIEW } = await import('../../src/ssh/fleet-exec.js');
    const { connectionFlags } = await import('../../src/ssh/session.js');
    const f = ctx.f;
    const run = await runOnDevices(f, {
      ...(ids ? { ids } : { filter: (d) => matchesQuery(query!, d) }),
      command,
      concurrency: (ctx.flags.concurrency as number | undefined) ?? 8,
      connection: connectionFlags(ctx.flags),
    });
    const out = f.output();
    try {
      if (out.format === 'ndjson') {
        await out.stream('DebugExecResult', run.results, EXEC_RESULT_VIEW);
      } else {
        // Tables and documents in the order asked for, not the order devices answered in.
        const all = [];
        for await (const r of run.results) all.push(r);
        all.sort((a, b) => run.order(a.device) - run.order(b.device));
        await out.list('DebugExecResult', all, EXEC_RESULT_VIEW);
      }
    } finally {
      run.close();
    }
    run.check();
  },
};

function parseDeviceList(text: string): string[] {
  const ids = [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  if (ids.length === 0) throw new UsageError('--devices: expected comma-separated device ids');
  for (const id of ids) if (/[\s/]/.test(id)) throw new UsageError(`--devices: invalid device id "${id}"`);
  return ids;
}
