import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { stateDir, stateDirFlag, WHICH } from './options.js';

function checkWhich(ctx: CommandContext): void {
  const which = ctx.args.which as string | undefined;
  if (which !== undefined && which !== 'all') {
    throw new UsageError(`the sandbox runs every stack in one process; \`cdm stack down\` stops all of it (drop "${which}")`);
  }
}

export const down: MutatingVerb = {
  name: 'down',
  summary: 'Stop the sandbox (its state stays; `cdm stack up` resumes it)',
  args: [{ name: 'which', description: 'all (the sandbox stops as a whole)', choices: WHICH }],
  flags: [stateDirFlag],
  examples: [{ command: 'cdm stack down', description: 'stop the background sandbox' }],
  mutates: true,
  async plan(ctx) {
    checkWhich(ctx);
    const { lockOwner } = await import('../../src/sandbox/stack/lock.js');
    const pid = lockOwner(stateDir(ctx));
    return { summary: `stop the sandbox in ${stateDir(ctx)}`, steps: pid === undefined ? [] : [{ action: 'stop', target: `sandbox process ${pid}` }] };
  },
  async run(ctx) {
    checkWhich(ctx);
    const { stopSandbox } = await import('../../src/workflows/sandbox/stop.js');
    const pid = await stopSandbox(stateDir(ctx), ctx.f.sleep);
    ctx.f.output().note(pid === undefined ? `No sandbox is running on ${stateDir(ctx)}.` : `Stopped the sandbox (pid ${pid}).`);
  },
};
