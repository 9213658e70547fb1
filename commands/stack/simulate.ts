import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { PartialFailure, UsageError } from '../../src/core/errors.js';
import type { View } from '../../src/core/output.js';
import { parseInterval, parsePositiveInt } from '../../src/core/parse.js';
import type { SimulationStatus } from '../../src/workflows/sandbox/simulate.js';
import { parseFraction, stateDir, stateDirFlag } from './options.js';
import { count } from '../../src/core/plural.js';

const VIEW: View<SimulationStatus> = [
  { header: 'Tenant', value: (s) => s.tenant },
  { header: 'Devices', value: (s) => s.devices },
  { header: 'Enrolled', value: (s) => s.enrolled },
  { header: 'Enroll failed', value: (s) => s.enrollFailed },
  { header: 'Polls', value: (s) => s.polls },
  { header: 'Updates installed', value: (s) => s.updatesInstalled },
  { header: 'Updates failed', value: (s) => s.updatesFailed },
  { header: 'Running', value: (s) => (s.running ? 'yes' : 'no') },
  { header: 'Last error', value: (s) => s.lastError, omitEmpty: true },
];

function request(ctx: CommandContext) {
  const tenant = ctx.flags.tenant as string | undefined;
  if (!tenant) throw new UsageError('--tenant <id> is required');
  if (ctx.flags.stop) return { tenant, stop: true as const };
  if (ctx.flags.devices === undefined) throw new UsageError('--devices <n> is required (or --stop)');
  return {
    tenant, stop: false as const,
    devices: ctx.flags.devices as number,
    failRate: (ctx.flags.failRate as number | undefined) ?? 0,
    pollMs: (ctx.flags.poll as number | undefined) ?? 30_000,
    cpuHot: (ctx.flags.cpuHot as number | undefined) ?? 0,
    seed: (ctx.flags.seed as number | undefined) ?? 1,
  };
}

export const simulate: MutatingVerb = {
  name: 'simulate',
  summary: 'Run virtual devices in the sandbox: enroll, poll hawkBit, install updates, send telemetry',
  description: 'Start N virtual devices in the running sandbox for a tenant. Each generates its keys, enrolls through the tenant bridge (certificate from the tenant step-ca, hawkBit target, ThingsBoard device, WireGuard address), polls hawkBit DDI, downloads and installs assigned updates (failing at --fail-rate, with feedback and an "OTA Failure" alarm), and sends telemetry (cpu_percent, disk_percent, sw_version, ota_status, rauc_slot). The command waits until every device has enrolled and returns; the devices keep running until `--stop` or `cdm stack down`.',
  flags: [
    { flags: '--tenant <id>', description: 'tenant stack of the devices' },
    { flags: '--devices <n>', description: 'number of devices', parse: (v) => parsePositiveInt(v, 'device count') },
    { flags: '--fail-rate <0..1>', description: 'share of updates that fail (default 0)', parse: (v) => parseFraction(v, 'fail rate') },
    { flags: '--poll <duration>', description: 'DDI polling interval (default 30s)', parse: parseInterval },
    { flags: '--cpu-hot <0..1>', description: 'share of devices running above 85 % CPU (default 0)', parse: (v) => parseFraction(v, 'cpu-hot fraction') },
    { flags: '--seed <n>', description: 'seed of the simulation (same seed, same behaviour)', parse: (v) => parsePositiveInt(v, 'seed') },
    { flags: '--stop', description: 'stop the running simulation of the tenant' },
    stateDirFlag,
  ],
  examples: [
    { command: 'cdm stack simulate --tenant acme --devices 20', description: '20 healthy devices polling every 30 s' },
    { command: 'cdm stack simulate --tenant acme --devices 200 --fail-rate 0.1 --cpu-hot 0.05 --poll 5s', description: 'a fleet with failing updates and hot devices' },
    { command: 'cdm stack simulate --tenant acme --stop', description: 'stop the devices (they stay enrolled)' },
  ],
  mutates: true,
  auditTarget: (ctx) => (ctx.flags.tenant === undefined ? undefined : `tenant ${String(ctx.flags.tenant)}`),
  async plan(ctx) {
    const r = request(ctx);
    if (r.stop) return { summary: `stop the simulated devices of tenant ${r.tenant}`, steps: [{ action: 'stop', target: `simulation ${r.tenant}`, service: 'sandbox' }] };
    return {
      summary: `start ${r.devices} simulated devices for tenant ${r.tenant}`,
      steps: [
        { action: 'enroll', target: `${r.devices} devices sim-${r.tenant}-0001…`, service: 'bridge' },
        { action: 'poll', target: 'hawkBit DDI', service: 'hawkbit', details: { everyMs: r.pollMs, failRate: r.failRate } },
        { action: 'send', target: 'telemetry', service: 'thingsboard', details: { cpuHot: r.cpuHot } },
      ],
    };
  },
  async run(ctx) {
    const r = request(ctx);
    const sim = await import('../../src/workflows/sandbox/simulate.js');
    const control = await sim.controlFor(ctx.f, stateDir(ctx));
    const out = ctx.f.output();
    if (r.stop) {
      await out.item('Simulation', await sim.stopSimulation(control, r.tenant), VIEW);
      return;
    }
    const { stop: _stop, ...req } = r;
    await sim.startSimulation(control, req);
    const bar = ctx.f.progress().bar(`enrolling ${count(r.devices, 'device')}`, r.devices);
    let status = await sim.simulationStatus(control, r.tenant);
    let shown = 0;
    while (status.enrolled + status.enrollFailed < status.devices) {
      await ctx.f.sleep(200);
      status = await sim.simulationStatus(control, r.tenant);
      const done = status.enrolled + status.enrollFailed;
      if (done > shown) { bar.tick(done - shown); shown = done; }
    }
    bar.done(`enrolled ${status.enrolled}/${status.devices}${status.enrollFailed ? `, ${status.enrollFailed} failed` : ''}`);
    const { deviceIds: _ids, ...summary } = status as SimulationStatus & { deviceIds?: string[] };
    await out.item('Simulation', summary, VIEW);
    if (status.enrollFailed > 0) {
      throw new PartialFailure(`${status.enrollFailed} of ${count(status.devices, 'device')} failed to enroll: ${status.lastError ?? ''}`);
    }
  },
};
