import { basename } from 'node:path';
import type { MutatingVerb } from '../../src/core/command-spec.js';
import { existingStacks } from './compose-stacks.js';
import { engine, engineFlag, stateDir, stateDirFlag } from './options.js';

export const reset: MutatingVerb = {
  name: 'reset',
  summary: 'Stop the sandbox (or the compose stacks) and delete all state, volumes and contexts (severe)',
  args: [],
  flags: [stateDirFlag, engineFlag],
  examples: [
    { command: 'cdm stack reset', description: 'asks you to type the state dir name (sandbox)' },
    { command: 'cdm stack reset --confirm sandbox', description: 'in a script' },
    { command: 'cdm stack reset --engine compose --confirm compose', description: 'docker compose down -v for every compose stack, then delete env files and contexts' },
  ],
  mutates: true,
  auditTarget: (ctx) => stateDir(ctx),
  severe: true,
  target: (ctx) => basename(stateDir(ctx)),
  async plan(ctx) {
    const dir = stateDir(ctx);
    if (engine(ctx) === 'compose') {
      const { projectName } = await import('../../src/stack/layout.js');
      const { composeContexts } = await import('../../src/stack/contexts.js');
      const names = composeContexts(dir, await ctx.f.contexts());
      return {
        summary: `delete the compose stacks in ${dir} with all their data`,
        steps: [
          ...(await existingStacks(ctx)).map((s) => ({ action: 'docker compose down --volumes', target: projectName(s), details: { deletes: 'containers and named volumes (databases, CA keys)' } })),
          { action: 'delete', target: dir, details: { contents: 'env files with the generated secrets, CA roots' } },
          ...names.map((n) => ({ action: 'remove', target: `context ${n}` })),
        ],
      };
    }
    const { sandboxContexts } = await import('../../src/workflows/sandbox/contexts.js');
    const names = sandboxContexts(dir, await ctx.f.contexts());
    return {
      summary: `delete the sandbox in ${dir}`,
      steps: [
        { action: 'stop', target: 'the sandbox process, if running' },
        { action: 'delete', target: dir, details: { contents: 'state of every emulator, secrets, logs' } },
        ...names.map((n) => ({ action: 'remove', target: `context ${n}` })),
      ],
    };
  },
  async run(ctx) {
    const dir = stateDir(ctx);
    if (engine(ctx) === 'compose') {
      const { composeReset } = await import('../../src/stack/lifecycle.js');
      const { dockerRunner } = await import('../../src/stack/docker.js');
      const names = await composeReset(dockerRunner(ctx.f.io.env, ctx.f.signal), dir, await existingStacks(ctx), await ctx.f.contexts(), await ctx.f.credentials());
      ctx.f.output().note(`Deleted the compose stacks' containers, volumes and ${dir}${names.length ? `, and context(s) ${names.join(', ')}` : ''}.`);
      return;
    }
    const { stopSandbox } = await import('../../src/workflows/sandbox/stop.js');
    const { sandboxContexts } = await import('../../src/workflows/sandbox/contexts.js');
    const { rm } = await import('node:fs/promises');
    await stopSandbox(dir, ctx.f.sleep);
    await rm(dir, { recursive: true, force: true });
    const contexts = await ctx.f.contexts();
    const creds = await ctx.f.credentials();
    const names = sandboxContexts(dir, contexts);
    for (const name of names) { contexts.remove(name); creds.removeContext(name); }
    ctx.f.output().note(`Deleted ${dir}${names.length ? ` and context(s) ${names.join(', ')}` : ''}.`);
  },
};
