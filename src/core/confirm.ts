// The safety rules for mutations (commands.md §1): ordinary confirmations are answered by
// --yes; severe ones need the target id typed on a TTY or passed with --confirm <id>.
import { CdmError, UsageError } from './errors.js';
import type { Plan } from './command-spec.js';
import type { Factory } from './factory.js';

export class DeclinedError extends CdmError {
  override readonly code = 'declined';
}

export async function confirmSevere(f: Factory, target: string, plan: Plan): Promise<void> {
  const given = f.settings.confirm;
  if (given !== undefined) {
    if (given !== target) throw new UsageError(`--confirm "${given}" does not match the target "${target}"`);
    return;
  }
  const prompter = f.prompter();
  if (!prompter.interactive) {
    // --yes alone never passes a severe action, so the message names --confirm only.
    await prompter.confirmTyped(plan.summary, target, { flag: `--confirm ${target}` });
    return;
  }
  showPlan(f, plan);
  const ok = await prompter.confirmTyped(`This is a severe action: ${plan.summary}.`, target, { flag: `--confirm ${target}` });
  if (!ok) throw new DeclinedError('confirmation did not match; nothing was changed');
}

export async function confirmOrdinary(f: Factory, plan: Plan): Promise<void> {
  if (f.settings.yes) return;
  const prompter = f.prompter();
  if (prompter.interactive) showPlan(f, plan);
  const ok = await prompter.confirm(`${capitalise(plan.summary)}?`, { flag: '--yes', default: false });
  if (!ok) throw new DeclinedError('declined; nothing was changed');
}

/** An existing output file is replaced only when the user says so (--yes, or yes at the prompt). */
export async function confirmReplace(f: Factory, file: string, what: string): Promise<void> {
  if (f.settings.yes) return;
  const ok = await f.prompter().confirm(`Replace the existing ${what} ${file}?`, { flag: '--yes', default: false });
  if (!ok) throw new DeclinedError(`${file} was left as it is; nothing was changed`);
}

function showPlan(f: Factory, plan: Plan): void {
  const lines = plan.steps.map((s, i) => `  ${i + 1}. ${s.action} ${s.target}${s.service ? ` [${s.service}]` : ''}`);
  f.io.stderr.write(`${lines.join('\n')}\n`);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
