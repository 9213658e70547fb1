import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { ConflictError } from '../../src/core/errors.js';
import { parseDuration, parsePositiveInt } from '../../src/core/parse.js';
import type { View } from '../../src/core/output.js';
import type { Condition } from '../../src/workflows/rollout/gate.js';
import type { ExpandInput, GateReport } from '../../src/workflows/rollout/expand.js';

function input(ctx: CommandContext): ExpandInput {
  const fl = ctx.flags as { minStable?: number; maxFailures?: number; force?: boolean };
  return { rollout: String(ctx.args.rollout), minStableMs: fl.minStable ?? 2 * 3_600_000, maxFailures: fl.maxFailures ?? 0, force: fl.force === true };
}

const CONDITIONS: View<Condition> = [
  { header: 'Condition', value: (c) => c.name },
  { header: 'Value', value: (c) => c.value },
  { header: 'Required', value: (c) => c.required },
  { header: 'Result', value: (c) => (c.pass ? 'pass' : 'FAIL') },
  { header: 'Detail', value: (c) => c.detail },
];

export const expand: MutatingVerb = {
  name: 'expand',
  summary: 'Check the canary gate and resume the rollout, or refuse (exit 5) saying why',
  description: 'Evaluates the gate on the group that ran last (the canary): failures ≤ --max-failures, finished share ≥ the group\'s success threshold, the last canary device finished at least --min-stable ago, and no active ThingsBoard alarm on any canary device since the canary started (a device ThingsBoard does not know, or a ThingsBoard that cannot be asked, fails the gate). Prints every condition with its value (-o json: a GateReport), then resumes the rollout, or refuses with exit 5. --force resumes despite a failed gate and is severe (typed confirmation or --confirm <rollout>); so is an expand that starts the last group (the rollout goes to 100 %).',
  args: [{ name: 'rollout', description: 'rollout id or name', required: true }],
  flags: [
    { flags: '--min-stable <duration>', description: 'time since the last canary device finished (default 2h)', parse: (v) => parseDuration(v, '--min-stable') },
    { flags: '--max-failures <n>', description: 'failed canary devices allowed (default 0)', parse: (v) => (v.trim() === '0' ? 0 : parsePositiveInt(v, '--max-failures')) },
    { flags: '--force', description: 'resume even when the gate fails (severe)' },
  ],
  examples: [
    { command: 'cdm rollout expand fw-1.1', description: 'resume after 0 failures and 2 h stable' },
    { command: 'cdm rollout expand 7 --min-stable 30m --max-failures 1 -o json', description: 'a looser gate, the report as data' },
    { command: 'cdm rollout expand fw-1.1 --force --confirm fw-1.1', description: 'override a failed gate in a script' },
  ],
  mutates: true,
  async plan(ctx) {
    const { evaluate } = await import('../../src/workflows/rollout/expand.js');
    const { report } = await evaluate(ctx.f, input(ctx));
    return {
      summary: `${report.passed ? 'resume' : input(ctx).force ? 'force-resume' : 'refuse to resume'} rollout ${report.rollout.name} (gate ${report.passed ? 'passed' : 'failed'})`,
      steps: [
        ...report.conditions.map((c) => ({ action: c.pass ? 'pass' : 'FAIL', target: `${c.name}: ${c.value} (required ${c.required})`, ...(c.detail ? { details: { detail: c.detail } } : {}) })),
        ...(report.passed || input(ctx).force ? [{ action: 'resume', target: `rollout ${report.rollout.name}${report.nextGroup ? `: starts ${report.nextGroup}${report.toLast ? ' (the last group: 100 %)' : ''}` : ''}`, service: 'hawkbit' }] : []),
      ],
    };
  },
  async run(ctx) {
    const i = input(ctx);
    const { evaluate, applyGate } = await import('../../src/workflows/rollout/expand.js');
    const { hb, rollout, report } = await evaluate(ctx.f, i);
    const out = ctx.f.output();
    // Severe when overriding the gate, or when this expand reaches the last group (100 %).
    if ((i.force && !report.passed) || (report.toLast && (report.passed || i.force))) {
      const { confirmSevere } = await import('../../src/core/confirm.js');
      const why = i.force && !report.passed ? 'resume despite a failed gate' : `start the last group ${report.nextGroup ?? ''} (100 %)`;
      await confirmSevere(ctx.f, i.rollout, { summary: `${why} of rollout ${report.rollout.name}`, steps: [{ action: 'resume', target: `rollout ${report.rollout.name}`, service: 'hawkbit' }] });
    }
    const done: GateReport = await applyGate(hb, rollout, report, i.force);
    if (out.machine) await out.item('GateReport', done);
    else {
      await out.list('GateCondition', done.conditions, CONDITIONS);
      out.note(done.action === 'refused'
        ? `gate failed: rollout ${done.rollout.name} stays ${done.rollout.status}`
        : `${done.forced ? 'gate FAILED, forced: ' : 'gate passed: '}rollout ${done.rollout.name} ${done.action}${done.nextGroup ? `, starting ${done.nextGroup}` : ''}`);
    }
    if (done.action === 'refused') {
      const failed = done.conditions.filter((c) => !c.pass).map((c) => c.name).join(', ');
      throw new ConflictError(`rollout ${done.rollout.name} not expanded: the gate failed (${failed})`, { hint: 'wait and retry, fix the devices, or --force (severe)' });
    }
  },
};
