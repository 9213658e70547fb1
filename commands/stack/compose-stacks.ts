// Which compose stacks a stack verb acts on: `up` names them (provider, tenant(s), or all);
// the other verbs act on those already brought up in the state dir, filtered the same way.
import type { CommandContext } from '../../src/core/command-spec.js';
import { NotFoundError } from '../../src/core/errors.js';
import type { StackRef } from '../../src/stack/layout.js';
import { stateDir, tenants } from './options.js';

export function stacksToStart(ctx: CommandContext): StackRef[] {
  const which = (ctx.args.which as string | undefined) ?? 'all';
  const out: StackRef[] = which === 'tenant' ? [] : [{ kind: 'provider' }];
  if (which !== 'provider') for (const t of tenants(ctx)) out.push({ kind: 'tenant', tenant: t });
  return out;
}

export async function existingStacks(ctx: CommandContext): Promise<StackRef[]> {
  const { knownStacks } = await import('../../src/stack/layout.js');
  const which = (ctx.args.which as string | undefined) ?? 'all';
  const only = ctx.flags.tenant as string[] | undefined;
  const found = knownStacks(stateDir(ctx)).filter((s) => (which === 'all' || s.kind === which) && (s.kind === 'provider' || !only?.length || only.includes(s.tenant!)));
  if (found.length === 0) throw new NotFoundError(`no compose stack in ${stateDir(ctx)}${which === 'all' ? '' : ` (${which})`}`, { hint: 'cdm stack up --engine compose' });
  return found;
}
