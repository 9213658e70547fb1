import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { parsePercent } from '../../src/core/parse.js';
import type { CreateInput } from '../../src/workflows/rollout/create.js';
import { CONDITION_FLAGS, createInput, parseGroups, TARGETING_FLAGS } from './options.js';
import { CREATED } from './views.js';

function input(ctx: CommandContext): CreateInput {
  const percent = (ctx.flags.percent as number | undefined) ?? 5;
  if (percent <= 0 || percent >= 100) throw new UsageError(`invalid --percent ${percent}: the canary must be more than 0 and less than 100`);
  const then = ctx.flags.then as string | undefined;
  // Default: the documented 5 / 25 / 70 split; another canary size leaves the rest as one wave.
  const rest = then ?? (percent === 5 ? '25,70' : String(100 - percent));
  const shares = parseGroups(`${percent},${rest}`, '--percent/--then');
  return createInput(ctx, shares, true, true);
}

export const canary: MutatingVerb = {
  name: 'canary',
  summary: 'Create and start a rollout whose canary group pauses it when the canary succeeds',
  description: 'A rollout with a first group of --percent of the matching targets whose success action is PAUSE: when the canary succeeds the rollout pauses, and nothing goes further until `cdm rollout expand` checks the gate and resumes. The other groups (--then, shares of all matching targets; canary + then = 100) advance on their own. A hawkBit older than 0.10 refuses the PAUSE success action: cdm says so and holds the canary by pausing the rollout right after it starts instead. --dry-run shows the groups and their target counts.',
  args: [{ name: 'name', description: 'rollout name', required: true }],
  flags: [
    ...TARGETING_FLAGS,
    { flags: '--percent <pct>', description: 'canary share of the matching targets (default 5)', parse: (v) => parsePercent(v, '--percent') },
    { flags: '--then <pcts>', description: 'the later groups, shares of all matching targets (default 25,70)' },
    ...CONDITION_FLAGS,
  ],
  examples: [
    { command: 'cdm rollout canary fw-1.1 --ds cdm-os:1.1.0 --target "name==dev-*"', description: '5 % canary, then 25 % and 70 %' },
    { command: 'cdm rollout canary fw-1.1 --ds cdm-os:1.1.0 --target "name==dev-*" --percent 10 --then 90 --dry-run', description: 'the plan with target counts' },
  ],
  mutates: true,
  async plan(ctx) {
    const { planCreate } = await import('../../src/workflows/rollout/create.js');
    return (await planCreate(ctx.f, input(ctx))).plan;
  },
  async run(ctx) {
    const { createRollout } = await import('../../src/workflows/rollout/create.js');
    const { rolloutRef } = await import('../../src/workflows/rollout/resolve.js');
    const r = await createRollout(ctx.f, input(ctx));
    const out = ctx.f.output();
    for (const w of r.warnings) out.warn(w);
    await out.item('Rollout', r, CREATED);
    out.note(`the rollout pauses after the canary; then check the gate and go on: cdm rollout expand ${rolloutRef(r)}`);
  },
};
