// Flags shared by the stack verbs, and turning them into a sandbox layout.
import { join, resolve } from 'node:path';
import type { CommandContext, FlagSpec } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { parseFraction, parseName, parsePositiveInt } from '../../src/core/parse.js';

export const WHICH = ['provider', 'tenant', 'all'] as const;
export const DEFAULT_TENANT = 'acme';
export const DEFAULT_PORT_BASE = 18400;

export const stateDirFlag: FlagSpec = { flags: '--state-dir <dir>', description: 'state directory (default $XDG_STATE_HOME/cdm/sandbox, or …/cdm/compose with --engine compose)', complete: 'files' };

export const ENGINES = ['sandbox', 'compose'] as const;
export type Engine = (typeof ENGINES)[number];
export const engineFlag: FlagSpec = { flags: '--engine <engine>', description: 'sandbox (embedded emulators, default) or compose (the real containers, Docker Compose v2)', choices: ENGINES, default: 'sandbox' };

export function engine(ctx: CommandContext): Engine {
  return (ctx.flags.engine as Engine | undefined) ?? 'sandbox';
}

/** Absolute: the contexts `stack up` writes name files in it (the CA bundles), used from any directory. */
export function stateDir(ctx: CommandContext): string {
  const given = ctx.flags.stateDir as string | undefined;
  if (given !== undefined) return resolve(given);
  return join(ctx.f.paths.stateDir, engine(ctx) === 'compose' ? 'compose' : 'sandbox');
}

export function tenants(ctx: CommandContext): string[] {
  const given = (ctx.flags.tenant as string[] | undefined) ?? [];
  const ids = given.length > 0 ? given : [DEFAULT_TENANT];
  for (const id of ids) parseTenantId(id);
  return [...new Set(ids)];
}

/** A tenant stack's id as `cdm stack up` accepts it; UsageError otherwise. */
export function parseTenantId(id: string): string {
  parseName(id, 'tenant id');
  if (!/^[a-z][a-z0-9_]*$/.test(id)) throw new UsageError(`invalid tenant id "${id}": lower-case letters, digits and _ (it names a Keycloak realm, a RabbitMQ vhost and files)`);
  if (id === 'master' || id === 'cdm' || id === 'provider') throw new UsageError(`tenant id "${id}" is reserved`);
  return id;
}

export function parsePortBase(value: string): number {
  const n = parsePositiveInt(value, 'port base');
  if (n < 1024 || n > 65000) throw new UsageError(`invalid port base ${n}: use 1024–65000 (the sandbox takes ports base … base+10·(tenants+1))`);
  return n;
}

export function parseLatency(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`invalid latency "${value}": milliseconds as a whole number`);
  // Held answers wait on timers, which cannot hold much more than 24 days; an hour is plenty.
  if (Number(value) > 3_600_000) throw new UsageError(`invalid latency "${value}": at most 3600000 (one hour)`);
  return Number(value);
}

export { parseFraction };
