// Flags and input shared by the rollout verbs. Parsers run before any request (exit 2).
import type { CommandContext, FlagSpec } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { parseDuration, parsePercent, parseRfc3339 } from '../../src/core/parse.js';
import type { ForceType } from '../../src/services/hawkbit/types.js';
import { checkFiql } from '../../src/services/hawkbit/fiql.js';
import { parseGroups } from '../../src/workflows/rollout/groups.js';
import type { CreateInput } from '../../src/workflows/rollout/create.js';

export const ACTIONS: readonly ForceType[] = ['soft', 'forced', 'timeforced', 'downloadonly'];

/**
 * `--forcetime`: an RFC 3339 time with a zone, or a duration from now (`2h`), in the future. Not
 * Date.parse: it reads "2" as the year 2001 and a time without a zone in this machine's zone, and
 * a force time in the past forces the update on every target at once.
 */
export function parseForcetime(text: string, now: number = Date.now()): number {
  const s = text.trim();
  if (/^\d+(?:\.\d+)?(ms|s|m|h|d|w)/.test(s)) return now + parseDuration(s, '--forcetime');
  const t = parseRfc3339(s);
  if (t === undefined) throw new UsageError(`invalid --forcetime "${text}": use an RFC 3339 time with a zone (2026-12-01T02:00:00Z) or a duration from now (2h)`);
  if (t <= now) {
    throw new UsageError(`--forcetime ${text} is in the past (now ${new Date(now).toISOString()}): the update would be forced on every target at once`, { hint: 'give a later time, or --action forced to force the update now' });
  }
  return t;
}

export const TARGETING_FLAGS: readonly FlagSpec[] = [
  { flags: '--ds <name:version|id>', description: 'distribution set to roll out', required: true },
  { flags: '--target <fiql>', description: 'FIQL filter of the targets, e.g. "name==dev-*;updatestatus!=error"', required: true, parse: checkFiql },
];

export const CONDITION_FLAGS: readonly FlagSpec[] = [
  { flags: '--success-threshold <pct>', description: 'a group succeeds when this share of its targets finished (default 95)', parse: (v) => parsePercent(v, '--success-threshold') },
  { flags: '--error-threshold <pct>', description: 'a group pauses the rollout when more than this share failed (default 5)', parse: (v) => parsePercent(v, '--error-threshold') },
  { flags: '--action <type>', description: 'action type: soft, forced, timeforced, downloadonly (default forced)', choices: ACTIONS },
  { flags: '--forcetime <time>', description: 'with --action timeforced: when soft becomes forced (RFC 3339 time with a zone, or a duration from now such as 2h)' },
];

/** The create input common to `create` and `canary`; checks the flag combinations. */
export function createInput(ctx: CommandContext, shares: number[], canary: boolean, start: boolean): CreateInput {
  const fl = ctx.flags as { ds: string; target: string; successThreshold?: number; errorThreshold?: number; action?: ForceType; forcetime?: string };
  const action = fl.action ?? 'forced';
  if (fl.forcetime !== undefined && action !== 'timeforced') throw new UsageError('--forcetime only goes with --action timeforced');
  if (action === 'timeforced' && fl.forcetime === undefined) throw new UsageError('--action timeforced needs --forcetime <time>');
  const name = String(ctx.args.name).trim();
  if (name === '') throw new UsageError('the rollout name must not be empty');
  return {
    name, ds: fl.ds, target: fl.target, shares,
    successThreshold: fl.successThreshold ?? 95, errorThreshold: fl.errorThreshold ?? 5, action,
    ...(fl.forcetime !== undefined ? { forcetime: parseForcetime(fl.forcetime, ctx.f.clock()) } : {}),
    start, canary,
  };
}

export { parseGroups };
