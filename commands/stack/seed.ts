import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import type { View } from '../../src/core/output.js';
import { parsePositiveInt } from '../../src/core/parse.js';
import { defaultSeedPrefix, SEED_MAX_DEVICES, SEED_PREFIX, seedDeviceId } from '../../src/sandbox/stack/seed-ids.js';
import type { SeedRequest, SeedStatus } from '../../src/workflows/sandbox/seed.js';
import { parseFraction, parseTenantId, stateDir, stateDirFlag } from './options.js';
import { count } from '../../src/core/plural.js';

const VIEW: View<SeedStatus> = [
  { header: 'Tenant', value: (s) => s.tenant },
  { header: 'Devices', value: (s) => s.seeded },
  { header: 'First', value: (s) => s.firstId },
  { header: 'Last', value: (s) => s.lastId },
  { header: 'Seconds', value: (s) => (s.elapsedMs / 1000).toFixed(1) },
];

function request(ctx: CommandContext): SeedRequest {
  const f = ctx.flags as { tenant?: string; devices?: number; prefix?: string; cpuHot?: number; offline?: number; seed?: number };
  if (!f.tenant) throw new UsageError('--tenant <id> is required');
  if (f.devices === undefined) throw new UsageError('--devices <n> is required');
  if (f.devices > SEED_MAX_DEVICES) throw new UsageError(`--devices: at most ${SEED_MAX_DEVICES} per seed`);
  const prefix = f.prefix ?? defaultSeedPrefix(f.tenant);
  if (!SEED_PREFIX.test(prefix)) throw new UsageError(`invalid --prefix "${prefix}": a letter or digit, then letters, digits, ".", "_" and "-" (at most 64)`);
  return { tenant: f.tenant, devices: f.devices, prefix, cpuHot: f.cpuHot ?? 0, offline: f.offline ?? 0, seed: f.seed ?? 1 };
}

export const seed: MutatingVerb = {
  name: 'seed',
  summary: 'Put N devices straight into a sandbox tenant: ThingsBoard, hawkBit and the bridge, in seconds',
  description: [
    'Seed a large fleet into the running sandbox for a tenant, without enrolling it: each device is written into the tenant\'s emulators in the shapes their APIs produce, a batch of 1,000 devices at a time, so 100,000 devices take seconds (enrolling them through the bridge would take hours).',
    'Each device gets: a ThingsBoard device (type cdm-sim-board, access-token credentials) with the latest telemetry a simulated device sends (cpu_percent, disk_percent, sw_version 1.0.0, ota_status, rauc_slot) and its activity; a hawkBit target, registered as by a first poll; and a bridge record with the next free WireGuard address, a certificate serial and expiry.',
    'Seeded certificates were never issued: step-ca has none of them and their serials are random (expiry 1 to 28 days ahead, as 30-day device certificates enrolled 2 to 29 days ago). No audit entries are written. Devices are named <prefix><n> (default prefix seed-<tenant>-, n padded to 6 digits); an id that exists in any service is refused (exit 5) before anything is written.',
    'The first --cpu-hot share of devices runs above 85 % CPU and the last --offline share was last seen 1 to 48 hours ago; other values are drawn from --seed as the simulator draws them.',
  ].join(' '),
  flags: [
    { flags: '--tenant <id>', description: 'tenant stack to seed', parse: parseTenantId },
    { flags: '--devices <n>', description: 'number of devices (the sandbox\'s WireGuard /14 holds 262,141 in all)', parse: (v) => parsePositiveInt(v, 'device count') },
    { flags: '--prefix <p>', description: 'device id prefix (default seed-<tenant>-)' },
    { flags: '--cpu-hot <0..1>', description: 'share of devices above 85 % CPU (default 0)', parse: (v) => parseFraction(v, 'cpu-hot fraction') },
    { flags: '--offline <0..1>', description: 'share of devices last seen hours ago (default 0)', parse: (v) => parseFraction(v, 'offline fraction') },
    { flags: '--seed <n>', description: 'seed of the drawn values (same seed, same fleet)', parse: (v) => parsePositiveInt(v, 'seed') },
    stateDirFlag,
  ],
  examples: [
    { command: 'cdm stack seed --tenant acme --devices 100000', description: '100,000 devices seed-acme-000001 … seed-acme-100000, in seconds' },
    { command: 'cdm stack seed --tenant acme --devices 5000 --prefix gw- --cpu-hot 0.02 --offline 0.1', description: 'a fleet with hot and offline devices for `cdm device health`' },
    { command: 'cdm stack seed --tenant acme --devices 100000 --dry-run', description: 'what would be written' },
  ],
  mutates: true,
  auditTarget: (ctx) => (ctx.flags.tenant === undefined ? undefined : `tenant ${String(ctx.flags.tenant)}`),
  async plan(ctx) {
    const r = request(ctx);
    const ids = `${seedDeviceId(r.prefix, r.devices, 1)} … ${seedDeviceId(r.prefix, r.devices, r.devices)}`;
    return {
      summary: `seed ${r.devices} devices into the sandbox tenant ${r.tenant}`,
      steps: [
        { action: 'create', target: `${r.devices} devices ${ids} with latest telemetry and activity`, service: 'thingsboard', details: { cpuHot: r.cpuHot, offline: r.offline, seed: r.seed } },
        { action: 'create', target: `${r.devices} targets ${ids}`, service: 'hawkbit' },
        { action: 'create', target: `${r.devices} device records ${ids} with WireGuard addresses`, service: 'bridge' },
      ],
    };
  },
  async run(ctx) {
    const r = request(ctx);
    const [{ controlFor }, { startSeed, followSeed }] = await Promise.all([import('../../src/workflows/sandbox/simulate.js'), import('../../src/workflows/sandbox/seed.js')]);
    const control = await controlFor(ctx.f, stateDir(ctx));
    await startSeed(control, r);
    const bar = ctx.f.progress().bar(`seeding ${count(r.devices, 'device')}`, r.devices);
    let shown = 0;
    const status = await followSeed(control, r.tenant, ctx.f.sleep, (seeded) => {
      if (seeded > shown) { bar.tick(seeded - shown); shown = seeded; }
    });
    bar.done(`seeded ${status.seeded} devices in ${(status.elapsedMs / 1000).toFixed(1)} s`);
    await ctx.f.output().item('Seed', status, VIEW);
  },
};
