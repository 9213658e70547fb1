import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import type { View } from '../../src/core/output.js';
import type { ForceType } from '../../src/services/hawkbit/types.js';
import type { RollbackItem, RollbackReport } from '../../src/workflows/rollout/rollback.js';
import { ACTIONS } from './options.js';

const ITEMS: View<RollbackItem> = [
  { header: 'Device', value: (i) => i.device },
  { header: 'Failed', value: (i) => i.from },
  { header: 'Back to', value: (i) => i.to },
  { header: 'Result', value: (i) => i.result },
  { header: 'Reason', value: (i) => i.reason },
];

const spec = (ctx: CommandContext): string => String(ctx.args.rollout);

export const rollback: MutatingVerb = {
  name: 'rollback',
  summary: 'Assign the previous distribution set to the devices whose update failed (severe)',
  description: 'hawkBit does not roll back. For every device whose action in this rollout ended in error, cdm assigns again the distribution set still installed on it (the previous release), as a new action (--action, default forced). Devices with nothing installed before are reported as skipped. One line per device; exit 6 if some assignments failed. Severe: type the rollout (id or name as given) or pass --confirm. --dry-run lists the devices and the release each goes back to.',
  args: [{ name: 'rollout', description: 'rollout id or name', required: true }],
  flags: [{ flags: '--action <type>', description: 'action type of the rollback assignment (default forced)', choices: ACTIONS }],
  examples: [
    { command: 'cdm rollout rollback fw-1.1 --dry-run', description: 'who would go back to what' },
    { command: 'cdm rollout rollback 7 --confirm 7 -o json', description: 'in a script' },
  ],
  mutates: true,
  severe: true,
  target: spec,
  async plan(ctx) {
    const { rollbackPlan } = await import('../../src/workflows/rollout/rollback.js');
    const { rollout, items } = await rollbackPlan(ctx.f, spec(ctx));
    const todo = items.filter((i) => i.result === 'planned');
    return {
      summary: `assign the previous release to ${todo.length} device(s) whose update failed in rollout ${rollout.name}`,
      steps: items.map((i) => (i.result === 'planned'
        ? { action: 'assign', target: `${i.to} to ${i.device} (failed ${i.from})`, service: 'hawkbit' }
        : { action: 'skip', target: i.device, details: { reason: i.reason } })),
    };
  },
  async run(ctx) {
    const { rollback: run } = await import('../../src/workflows/rollout/rollback.js');
    const out = ctx.f.output();
    const show = async (r: RollbackReport): Promise<void> => {
      if (out.machine) await out.item('Rollback', r);
      else await out.list('RollbackItem', r.items, ITEMS);
    };
    try {
      const r = await run(ctx.f, spec(ctx), (ctx.flags.action as ForceType | undefined) ?? 'forced');
      await show(r);
      if (r.items.length === 0) out.note(`no device failed in rollout ${r.rollout.name}: nothing to roll back`);
    } catch (err) {
      // A partial failure still reports every device before exiting 6.
      const report = (err as { report?: RollbackReport }).report;
      if (report) await show(report);
      throw err;
    }
  },
};
