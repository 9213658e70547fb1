import { basename } from 'node:path';
import type { MutatingVerb } from '../../src/core/command-spec.js';
import { stateDir, stateDirFlag } from './options.js';

export const reset: MutatingVerb = {
  name: 'reset',
  summary: 'Stop the sandbox and delete all its state and its contexts (severe)',
  args: [],
  flags: [stateDirFlag],
  examples: [
    { command: 'cdm stack reset', description: 'asks you to type the state dir name (sandbox)' },
    { command: 'cdm stack reset --confirm sandbox', description: 'in a script' },
  ],
  mutates: true,
  severe: true,
  target: (ctx) => basename(stateDir(ctx)),
  async plan(ctx) {
    const dir = stateDir(ctx);
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
