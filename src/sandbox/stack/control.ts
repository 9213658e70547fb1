// The sandbox's own control API (not an emulation of any real server): starts, reports and stops
// device simulations inside the sandbox process, where the simulated devices can reach every
// emulator, seeds a tenant's fleet straight into its emulators' state (`cdm stack seed`), and makes
// a step-ca re-read its CA files (`cdm tenant join` installing a Sub-CA). Guarded by a bearer token
// kept in the 0600 secrets file.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext, Router, type RequestContext } from '../kit/router.js';
import type { Emulator } from '../kit/types.js';
import type { DeviceLinks } from '../simulator/device.js';
import { Fleet, type FleetOptions } from '../simulator/fleet.js';
import { FleetSeed, seedConflict, type SeedOptions, type SeedTargets } from './fleet-seed.js';
import { defaultSeedPrefix, SEED_MAX_DEVICES, SEED_PREFIX } from './seed-ids.js';

export interface ControlDeps {
  token: string;
  /** Links for a tenant's devices, or undefined when the sandbox runs no such tenant stack. */
  linksFor(tenant: string): DeviceLinks | undefined;
  /** The seeding side of a tenant stack's emulators, or undefined when the sandbox runs no such tenant stack. */
  seedTargetsFor?(tenant: string): SeedTargets | undefined;
  /** Re-reads the CA files of a stack's step-ca (after a Sub-CA was installed); false when no such CA runs. */
  reloadStepCa?(stack: string): boolean;
}

export type ControlEmulator = Emulator & { stopAll(): Promise<void> };

const LIMITS = { devices: 10_000 };

export function createControlEmulator(deps: ControlDeps): ControlEmulator {
  const fleets = new Map<string, Fleet>();
  const seeds = new Map<string, FleetSeed>();
  const router = new Router()
    .get('/simulations', (ctx) => ctx.send(200, [...fleets.values()].map((f) => f.status())))
    .get('/simulations/:tenant', (ctx) => {
      const fleet = fleets.get(ctx.params.tenant!);
      if (!fleet) return ctx.send(404, { error: `no simulation for tenant ${ctx.params.tenant}` });
      ctx.send(200, { ...fleet.status(), deviceIds: fleet.deviceIds() });
    })
    .post('/simulations', async (ctx) => {
      const parsed = parseOptions(await ctx.text());
      if (typeof parsed === 'string') return ctx.send(400, { error: parsed });
      const links = deps.linksFor(parsed.tenant);
      if (!links) return ctx.send(404, { error: `the sandbox runs no tenant stack "${parsed.tenant}"` });
      if (fleets.get(parsed.tenant)?.status().running) return ctx.send(409, { error: `a simulation for tenant ${parsed.tenant} is already running` });
      const fleet = new Fleet(parsed, links);
      fleets.set(parsed.tenant, fleet);
      ctx.send(202, fleet.status());
    })
    .post('/seeds', async (ctx) => {
      const parsed = parseSeedOptions(await ctx.text());
      if (typeof parsed === 'string') return ctx.send(400, { error: parsed });
      const targets = deps.seedTargetsFor?.(parsed.tenant);
      if (!targets) return ctx.send(404, { error: `the sandbox runs no tenant stack "${parsed.tenant}"` });
      if (seeds.get(parsed.tenant)?.status().running) return ctx.send(409, { error: `a seed for tenant ${parsed.tenant} is already running` });
      const conflict = seedConflict(parsed, targets);
      if (conflict) return ctx.send(409, { error: conflict });
      const seed = new FleetSeed(parsed, targets);
      seeds.set(parsed.tenant, seed);
      ctx.send(202, seed.status());
    })
    .get('/seeds/:tenant', (ctx) => {
      const seed = seeds.get(ctx.params.tenant!);
      if (!seed) return ctx.send(404, { error: `no seed for tenant ${ctx.params.tenant}` });
      ctx.send(200, seed.status());
    })
    .post('/stepca/:stack/reload', (ctx) => {
      const stack = ctx.params.stack!;
      let reloaded: boolean;
      try {
        reloaded = deps.reloadStepCa?.(stack) ?? false;
      } catch (err) {
        return ctx.send(422, { error: `step-ca of ${stack} could not load its CA files: ${(err as Error).message}` });
      }
      if (!reloaded) return ctx.send(404, { error: `the sandbox runs no step-ca for stack "${stack}"` });
      ctx.send(200, { stack, reloaded: true });
    })
    .delete('/simulations/:tenant', async (ctx) => {
      const fleet = fleets.get(ctx.params.tenant!);
      if (!fleet || !fleet.status().running) return ctx.send(404, { error: `no running simulation for tenant ${ctx.params.tenant}` });
      await fleet.stop();
      ctx.send(200, fleet.status());
    });

  return {
    name: 'control',
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const ctx = createContext(req, res);
      if (ctx.header('authorization') !== `Bearer ${deps.token}`) return ctx.send(401, { error: 'missing or wrong control token' });
      const match = router.match(ctx.method, ctx.path);
      if (match === undefined) return ctx.send(404, { error: 'not found' });
      if (match === 'method') return ctx.send(405, { error: 'method not allowed' });
      const routed: RequestContext = { ...ctx, params: match.params };
      await match.handler(routed);
    },
    stopAll: async () => { await Promise.all([...fleets.values()].map((f) => f.stop())); },
    close: async () => { await Promise.all([...[...fleets.values()].map((f) => f.stop()), ...[...seeds.values()].map((s) => s.stop())]); },
  };
}

function parseOptions(text: string): FleetOptions | string {
  let o: Record<string, unknown>;
  try { o = JSON.parse(text) as Record<string, unknown>; } catch { return 'body is not JSON'; }
  const num = (k: string, d: number): number => (o[k] === undefined ? d : Number(o[k]));
  const opts: FleetOptions = {
    tenant: String(o.tenant ?? ''),
    devices: num('devices', 0),
    failRate: num('failRate', 0),
    pollMs: num('pollMs', 30_000),
    cpuHot: num('cpuHot', 0),
    seed: num('seed', 1),
  };
  if (!opts.tenant) return 'tenant is required';
  if (!Number.isInteger(opts.devices) || opts.devices < 1 || opts.devices > LIMITS.devices) return `devices must be 1..${LIMITS.devices}`;
  if (!(opts.failRate >= 0 && opts.failRate <= 1)) return 'failRate must be 0..1';
  if (!(opts.cpuHot >= 0 && opts.cpuHot <= 1)) return 'cpuHot must be 0..1';
  if (!Number.isFinite(opts.pollMs) || opts.pollMs < 100) return 'pollMs must be at least 100';
  return opts;
}

function parseSeedOptions(text: string): SeedOptions | string {
  let o: Record<string, unknown>;
  try { o = JSON.parse(text) as Record<string, unknown>; } catch { return 'body is not JSON'; }
  const num = (k: string, d: number): number => (o[k] === undefined ? d : Number(o[k]));
  const tenant = String(o.tenant ?? '');
  const opts: SeedOptions = {
    tenant,
    devices: num('devices', 0),
    prefix: o.prefix === undefined ? defaultSeedPrefix(tenant) : String(o.prefix),
    cpuHot: num('cpuHot', 0),
    offline: num('offline', 0),
    seed: num('seed', 1),
  };
  if (!tenant) return 'tenant is required';
  if (!Number.isInteger(opts.devices) || opts.devices < 1 || opts.devices > SEED_MAX_DEVICES) return `devices must be 1..${SEED_MAX_DEVICES}`;
  if (!SEED_PREFIX.test(opts.prefix)) return 'prefix must start with a letter or digit and hold only letters, digits, ".", "_" and "-" (at most 64)';
  if (!(opts.cpuHot >= 0 && opts.cpuHot <= 1)) return 'cpuHot must be 0..1';
  if (!(opts.offline >= 0 && opts.offline <= 1)) return 'offline must be 0..1';
  if (!Number.isInteger(opts.seed)) return 'seed must be an integer';
  return opts;
}
