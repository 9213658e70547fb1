import type { ReadVerb } from '../../src/core/command-spec.js';
import { parseDuration, parsePercent } from '../../src/core/parse.js';
import { count } from '../../src/core/plural.js';
import { HEALTH_VIEW } from './views.js';

export const health: ReadVerb = {
  name: 'health',
  summary: 'The morning review: devices running hot, with full disks, or offline — worst first',
  description: 'Reads every ThingsBoard device of the context: latest cpu_percent and disk_percent telemetry and activity (DeviceInfo.active, server attribute lastActivityTime). Lists the devices over a threshold or offline for at least --offline-for (a device that never connected, since ThingsBoard created it), worst first: offline devices (longest first), then by how far over a threshold. Healthy devices are not listed; a line on stderr says how many of the devices checked need attention, or that all are healthy.',
  flags: [
    { flags: '--cpu-above <pct>', description: 'CPU threshold in percent (default 80)', parse: (v) => parsePercent(v, 'CPU threshold') },
    { flags: '--disk-above <pct>', description: 'disk threshold in percent (default 90)', parse: (v) => parsePercent(v, 'disk threshold') },
    { flags: '--offline-for <duration>', description: 'report offline devices inactive at least this long (default 0s: every offline device)', parse: (v) => parseDuration(v, 'offline duration') },
  ],
  examples: [
    { command: 'cdm device health --context local-acme', description: 'CPU > 80 %, disk > 90 %, every offline device' },
    { command: 'cdm device health --cpu-above 90 --offline-for 1h -o json', description: 'stricter, as data' },
  ],
  mutates: false,
  async run(ctx) {
    const fl = ctx.flags as { cpuAbove?: number; diskAbove?: number; offlineFor?: number };
    const { age, attentionSummary, fleetHealth } = await import('../../src/workflows/device/health.js');
    const o = { cpuAbove: fl.cpuAbove ?? 80, diskAbove: fl.diskAbove ?? 90, offlineForMs: fl.offlineFor ?? 0 };
    const { rows, checked } = await fleetHealth(ctx.f, o);
    const out = ctx.f.output();
    if (rows.length === 0) {
      // The review's answer when nothing is wrong, rather than a bare "No resources found".
      out.note(`${count(checked, 'device')} checked, all healthy: CPU ≤ ${o.cpuAbove} %, disk ≤ ${o.diskAbove} %, none offline${o.offlineForMs > 0 ? ` for ${age(o.offlineForMs)} or more` : ''}.`);
      if (!out.machine && !out.tsv) return;
    }
    await out.list('DeviceHealth', rows, HEALTH_VIEW);
    if (rows.length > 0) out.note(attentionSummary(rows.length, checked));
  },
};
