// start, pause, resume, cancel, retry: thin verbs over one hawkBit call each.
import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import type { RolloutOp } from '../../src/services/hawkbit/rollouts.js';
import { SUMMARY } from './views.js';

const ROLLOUT_ARG = [{ name: 'rollout', description: 'rollout id or name', required: true }] as const;
const spec = (ctx: CommandContext): string => String(ctx.args.rollout);

function opVerb(name: string, op: RolloutOp, summary: string, description: string, extra: Partial<MutatingVerb> = {}): MutatingVerb {
  return {
    name, summary, description, args: ROLLOUT_ARG,
    examples: [{ command: `cdm rollout ${name} fw-1.1`, description: summary.toLowerCase() }, { command: `cdm rollout ${name} 7 -o json${extra.severe ? ' --confirm 7' : ''}`, description: 'by id, result as data' }],
    mutates: true,
    ...extra,
    async plan(ctx) {
      const { findRollout } = await import('../../src/workflows/rollout/lifecycle.js');
      const r = await findRollout(ctx.f, spec(ctx));
      return { summary: `${name} rollout ${r.name} (id ${r.id}, now ${r.status})`, steps: [{ action: op, target: `rollout ${r.name} (id ${r.id})`, service: 'hawkbit' }] };
    },
    async run(ctx) {
      const { rolloutOp } = await import('../../src/workflows/rollout/lifecycle.js');
      await ctx.f.output().item('Rollout', await rolloutOp(ctx.f, spec(ctx), op), SUMMARY);
    },
  };
}

export const start = opVerb('start', 'start', 'Start a rollout created without --start', 'Starts a rollout that is ready (made by `cdm rollout create` without --start): its first group begins. A rollout whose groups hawkBit is still filling is waited for; any other state → exit 5.');
export const pause = opVerb('pause', 'pause', 'Pause a running rollout', 'Pauses a running rollout: no further group starts; devices already updating finish their update. Not running → exit 5.');
export const resume = opVerb('resume', 'resume', 'Resume a paused rollout (no gate: see expand)', 'Resumes a paused rollout without checking any gate (after a canary, `cdm rollout expand` checks the gate first). Not paused → exit 5.');
export const cancel = opVerb('cancel', 'stop', 'Stop a rollout for good (severe)', 'Stops the rollout (hawkBit ≥0.10 `stop`): groups that have not started never will, and the active update actions are soft-cancelled on the devices. It cannot be resumed. Severe: type the rollout (id or name as given) or pass --confirm.', {
  severe: true,
  target: spec,
});

export const retry: MutatingVerb = {
  name: 'retry',
  summary: 'Retry the failed targets of a finished rollout in a new rollout',
  description: 'hawkBit creates `<name>_retry`, one group over the targets that failed in the finished rollout (hawkBit refuses a source that is not finished, or has no failed target: exit 5). --start starts it once its group is filled.',
  args: ROLLOUT_ARG,
  flags: [{ flags: '--start', description: 'start the retry rollout at once' }],
  examples: [{ command: 'cdm rollout retry fw-1.1 --start', description: 'try the failed devices again' }],
  mutates: true,
  async plan(ctx) {
    const { findRollout } = await import('../../src/workflows/rollout/lifecycle.js');
    const r = await findRollout(ctx.f, spec(ctx));
    return {
      summary: `retry the failed targets of rollout ${r.name} (id ${r.id}) as ${r.name}_retry`,
      steps: [{ action: 'retry', target: `rollout ${r.name}: ${r.totalTargetsPerStatus?.error ?? '?'} failed targets`, service: 'hawkbit' }, ...(ctx.flags.start ? [{ action: 'start', target: `rollout ${r.name}_retry`, service: 'hawkbit' }] : [])],
    };
  },
  async run(ctx) {
    const { retryRollout } = await import('../../src/workflows/rollout/lifecycle.js');
    await ctx.f.output().item('Rollout', await retryRollout(ctx.f, spec(ctx), ctx.flags.start === true), SUMMARY);
  },
};
