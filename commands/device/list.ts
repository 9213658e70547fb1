import type { ReadVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { checkFiql } from '../../src/services/hawkbit/fiql.js';
import { parsePositiveInt } from '../../src/core/parse.js';
import { count } from '../../src/core/plural.js';
import { DEVICE_VIEW } from './views.js';

export const list: ReadVerb = {
  name: 'list',
  summary: 'List devices, merged from ThingsBoard, hawkBit and the tenant bridge',
  description: 'One row per ThingsBoard device of the context (ThingsBoard names devices by device id): the name and type given at enrollment (-o wide), activity (online), latest telemetry (cpu_percent, disk_percent, sw_version, ota_status) and active alarms from ThingsBoard; update status and installed/assigned distribution set from hawkBit; WireGuard IP and certificate expiry from the tenant bridge. --online/--offline filter at ThingsBoard, --query is a hawkBit target FIQL filter, --sw-version matches the reported sw_version or the installed distribution set version. Default: the first 50; --all for every device. With -o ndjson rows are written page by page as they are merged.',
  flags: [
    { flags: '--online', description: 'only devices ThingsBoard reports active' },
    { flags: '--offline', description: 'only devices ThingsBoard reports inactive' },
    { flags: '--sw-version <v>', description: 'only devices reporting this sw_version (or with it installed in hawkBit)' },
    { flags: '--with-alarms', description: 'only devices with active alarms' },
    { flags: '--query <fiql>', description: 'hawkBit target filter, e.g. "updateStatus==error" or "attribute.device_type==gateway"', parse: checkFiql },
    { flags: '--limit <n>', description: 'at most n devices (default 50)', parse: (v) => parsePositiveInt(v, 'limit') },
    { flags: '--all', description: 'every device (no limit)' },
  ],
  examples: [
    { command: 'cdm device list --context local-acme', description: 'the first 50 devices' },
    { command: 'cdm device list --offline --with-alarms', description: 'what needs attention' },
    { command: 'cdm device list --query "updateStatus==error" -o wide', description: 'devices whose last update failed, with distribution sets' },
    { command: 'cdm device list --all -o ndjson | jq -r .wireguardIp', description: 'the whole fleet, streamed' },
  ],
  mutates: false,
  async run(ctx) {
    const fl = ctx.flags as { online?: boolean; offline?: boolean; swVersion?: string; withAlarms?: boolean; query?: string; limit?: number; all?: boolean };
    if (fl.online && fl.offline) throw new UsageError('--online and --offline exclude each other');
    if (fl.all && fl.limit !== undefined) throw new UsageError('--limit and --all exclude each other');
    const { listDevices } = await import('../../src/workflows/device/view.js');
    let limited = false;
    const rows = listDevices(ctx.f, {
      ...(fl.online ? { online: true } : fl.offline ? { online: false } : {}),
      ...(fl.swVersion !== undefined ? { swVersion: fl.swVersion } : {}),
      ...(fl.withAlarms ? { withAlarms: true } : {}),
      ...(fl.query !== undefined ? { query: fl.query } : {}),
      ...(fl.all ? {} : { limit: fl.limit ?? 50, onLimited: () => { limited = true; } }),
    });
    const out = ctx.f.output();
    const filtered = fl.online || fl.offline || fl.swVersion !== undefined || fl.withAlarms || fl.query !== undefined;
    await out.stream('Device', rows, DEVICE_VIEW, filtered ? 'No devices match the filters.' : 'No devices yet: `cdm device enroll` adds them.');
    const limit = fl.limit ?? 50;
    if (limited) out.note(`Stopped at ${count(limit, 'device')} (--limit${fl.limit === undefined ? ', default 50' : ''}); more may follow: --all lists every device.`);
  },
};
