// Runs one verb: dry-run plans, confirmations, then the verb itself.
import type { CommandContext, VerbSpec } from './command-spec.js';
import { confirmOrdinary, confirmSevere } from './confirm.js';

export async function runVerb(path: string[], verb: VerbSpec, ctx: CommandContext): Promise<number> {
  const f = ctx.f;
  if (verb.mutates) {
    if (f.settings.dryRun) {
      const plan = await verb.plan(ctx);
      await f.output().plan(plan, { command: `cdm ${path.join(' ')}`, ...(await contextLabel(ctx)) });
      return 0;
    }
    if (verb.severe) {
      if (!verb.target) throw new Error(`severe verb ${path.join(' ')} declares no target`);
      await confirmSevere(f, verb.target(ctx), await verb.plan(ctx));
    } else if (verb.confirm) {
      await confirmOrdinary(f, await verb.plan(ctx));
    }
  }
  return (await verb.run(ctx)) ?? 0;
}

async function contextLabel(ctx: CommandContext): Promise<{ context?: string }> {
  try {
    const name = await ctx.f.contextName();
    return name === undefined ? {} : { context: name };
  } catch {
    return {};
  }
}
