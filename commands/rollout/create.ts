import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import type { CreateInput } from '../../src/workflows/rollout/create.js';
import { CONDITION_FLAGS, createInput, parseGroups, TARGETING_FLAGS } from './options.js';
import { CREATED } from './views.js';

function input(ctx: CommandContext): CreateInput {
  const shares = (ctx.flags.groups as number[] | undefined) ?? [100];
  return createInput(ctx, shares, false, ctx.flags.start === true);
}

export const create: MutatingVerb = {
  name: 'create',
  summary: 'Create a rollout of a distribution set in groups (percentages of the matching targets)',
  description: 'Creates a hawkBit rollout over the targets matching --target (FIQL), split into --groups given as shares of ALL matching targets that add up to 100 (5,25,70). Each group advances to the next when --success-threshold % of it finished, and pauses the rollout when more than --error-threshold % failed. --dry-run counts the matching targets and shows how many each group will get, creating nothing. Malformed FIQL, percentages not adding up to 100, or an unknown distribution set are exit 2 with nothing created.',
  args: [{ name: 'name', description: 'rollout name', required: true }],
  flags: [
    ...TARGETING_FLAGS,
    { flags: '--groups <pcts>', description: 'group shares of all matching targets, adding up to 100 (default 100)', parse: (v) => parseGroups(v) },
    ...CONDITION_FLAGS,
    { flags: '--start', description: 'start the rollout once hawkBit has filled its groups' },
  ],
  examples: [
    { command: 'cdm rollout create fw-1.1 --ds cdm-os:1.1.0 --target "name==dev-*" --groups 5,25,70 --dry-run', description: 'how many devices each group gets' },
    { command: 'cdm rollout create fw-1.1 --ds cdm-os:1.1.0 --target "updatestatus!=error" --groups 10,90 --action soft --start', description: 'create and start' },
  ],
  mutates: true,
  async plan(ctx) {
    const { planCreate } = await import('../../src/workflows/rollout/create.js');
    return (await planCreate(ctx.f, input(ctx))).plan;
  },
  async run(ctx) {
    const { createRollout } = await import('../../src/workflows/rollout/create.js');
    const r = await createRollout(ctx.f, input(ctx));
    const out = ctx.f.output();
    for (const w of r.warnings) out.warn(w);
    await out.item('Rollout', r, CREATED);
  },
};
