// A factory bound to another context than the command's own (`--provider-context`,
// `--tenant-context` of `cdm tenant onboard`): the same streams, signal, clock and global flags,
// its own session, HTTP trust (that context's CA bundle) and credentials.
import { Factory } from '../../core/factory.js';
import type { GlobalFlags } from '../../config/settings.js';

export function factoryFor(f: Factory, context: string): Factory {
  const s = f.settings;
  const flags: GlobalFlags = {
    context, quiet: s.quiet, verbose: s.verbose, input: s.input, yes: s.yes, dryRun: s.dryRun, insecure: s.insecure, color: s.color,
    ...(s.output !== undefined ? { output: s.output } : {}),
    ...(s.confirm !== undefined ? { confirm: s.confirm } : {}),
  };
  return new Factory({ io: f.io, flags, signal: f.signal, clock: f.clock, sleep: f.sleep, prompter: f.prompter() });
}
