import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { existingStacks } from './compose-stacks.js';
import { engine, engineFlag, stateDir, stateDirFlag, WHICH } from './options.js';

function checkWhich(ctx: CommandContext): void {
  if (engine(ctx) === 'compose') return; // compose stacks stop one by one
  const which = ctx.args.which as string | undefined;
  if (which !== undefined && which !== 'all') {
    throw new UsageError(`the sandbox runs every stack in one process; \`cdm stack down\` stops all of it (drop "${which}")`);
  }
}

export const down: MutatingVerb = {
  name: 'down',
  summary: 'Stop the sandbox, or the compose containers (state and volumes stay; `cdm stack up` resumes)',
  args: [{ name: 'which', description: 'all (the sandbox stops as a whole); provider, tenant or all with --engine compose', choices: WHICH }],
  flags: [stateDirFlag, engineFlag, { flags: '--tenant <id...>', description: 'compose: only these tenant stacks' }],
  examples: [
    { command: 'cdm stack down', description: 'stop the background sandbox' },
    { command: 'cdm stack down --engine compose tenant --tenant acme', description: 'stop the containers of tenant acme (volumes kept)' },
  ],
  mutates: true,
  auditTarget: (ctx) => stateDir(ctx),
  async plan(ctx) {
    checkWhich(ctx);
    if (engine(ctx) === 'compose') {
      const { projectName } = await import('../../src/stack/layout.js');
      return { summary: `stop the compose stacks in ${stateDir(ctx)}`, steps: (await existingStacks(ctx)).map((s) => ({ action: 'docker compose down', target: projectName(s), details: { volumes: 'kept' } })) };
    }
    const { lockOwner } = await import('../../src/sandbox/stack/lock.js');
    const pid = lockOwner(stateDir(ctx));
    return { summary: `stop the sandbox in ${stateDir(ctx)}`, steps: pid === undefined ? [] : [{ action: 'stop', target: `sandbox process ${pid}` }] };
  },
  async run(ctx) {
    checkWhich(ctx);
    if (engine(ctx) === 'compose') {
      const { composeDown } = await import('../../src/stack/lifecycle.js');
      const { dockerRunner } = await import('../../src/stack/docker.js');
      const { projectName } = await import('../../src/stack/layout.js');
      const stacks = await existingStacks(ctx);
      await composeDown(dockerRunner(ctx.f.io.env, ctx.f.signal), stateDir(ctx), stacks);
      ctx.f.output().note(`Stopped ${stacks.map(projectName).join(', ')}; volumes and env files kept.`);
      return;
    }
    const { stopSandbox } = await import('../../src/workflows/sandbox/stop.js');
    const pid = await stopSandbox(stateDir(ctx), ctx.f.sleep);
    ctx.f.output().note(pid === undefined ? `No sandbox is running on ${stateDir(ctx)}.` : `Stopped the sandbox (pid ${pid}).`);
  },
};
