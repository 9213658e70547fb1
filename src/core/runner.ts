// Runs one verb: dry-run plans, confirmations, then the verb itself.
import type { CommandContext, MutatingVerb, Plan, VerbSpec } from './command-spec.js';
import { confirmOrdinary, confirmSevere } from './confirm.js';
import { exitCodeOf } from './errors.js';
import { appendJournal, localActor } from './journal.js';

export async function runVerb(path: string[], verb: VerbSpec, ctx: CommandContext): Promise<number> {
  const f = ctx.f;
  if (verb.mutates) {
    if (f.settings.dryRun) {
      const plan = await verb.plan(ctx);
      await f.output().plan(plan, { command: `cdm ${path.join(' ')}`, ...(await contextLabel(ctx)) });
      return 0;
    }
    let plan: Plan | undefined;
    if (verb.severe) {
      if (!verb.target) throw new Error(`severe verb ${path.join(' ')} declares no target`);
      plan = await verb.plan(ctx);
      await confirmSevere(f, verb.target(ctx), plan);
    } else if (verb.confirm) {
      plan = await verb.plan(ctx);
      await confirmOrdinary(f, plan);
    }
    return journaled(path, verb, ctx, plan, () => verb.run(ctx));
  }
  return (await verb.run(ctx)) ?? 0;
}

/** Runs a mutating verb and records it in cdm's journal, whatever the outcome. */
async function journaled(path: string[], verb: MutatingVerb, ctx: CommandContext, plan: Plan | undefined, run: () => Promise<number | void>): Promise<number> {
  const f = ctx.f;
  // First the id the operator named (the confirmed one, or what the verb says it acts on), then the plan's targets.
  const named = verb.auditTarget?.(ctx) ?? verb.target?.(ctx);
  const rest = plan ? plan.steps.map((s) => s.target) : Object.values(ctx.args).flat().filter((a): a is string => typeof a === 'string');
  const targets = [...new Set([...(named ? [named] : []), ...rest])];
  // Every --reason (isolate, revoke, reject) says why the operator acted: the journal keeps it.
  const reason = typeof ctx.flags['reason'] === 'string' && ctx.flags['reason'].trim() ? { reason: ctx.flags['reason'].trim() } : {};
  const base = { time: new Date(f.clock()).toISOString(), correlationId: f.correlationId, actor: localActor(f.io.env), command: `cdm ${path.join(' ')}`, targets, ...reason, ...(await contextLabel(ctx)) };
  try {
    const code = (await run()) ?? 0;
    appendJournal(f.paths.stateDir, { ...base, outcome: code === 0 ? 'success' : 'failure', exitCode: code }, (l) => f.output().warn(l));
    return code;
  } catch (err) {
    const code = exitCodeOf(err);
    // A step cut off by Ctrl-C or --timeout fails with its own error; the run exits with the abort's code (main.ts).
    const exitCode = f.signal.aborted ? exitCodeOf(f.signal.reason) : code;
    appendJournal(f.paths.stateDir, { ...base, outcome: exitCode === 130 ? 'interrupted' : 'failure', exitCode, error: (err as Error).message }, (l) => f.output().warn(l));
    throw err;
  }
}

async function contextLabel(ctx: CommandContext): Promise<{ context?: string }> {
  try {
    const name = await ctx.f.contextName();
    return name === undefined ? {} : { context: name };
  } catch {
    return {};
  }
}
