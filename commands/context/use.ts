import type { MutatingVerb } from '../../src/core/command-spec.js';

export const use: MutatingVerb = {
  name: 'use',
  summary: 'Make a context the current one',
  args: [{ name: 'name', description: 'context name', required: true, complete: 'contexts' }],
  examples: [{ command: 'cdm context use acme', description: 'later commands talk to the acme tenant stack' }],
  mutates: true,
  async plan(ctx) {
    const name = String(ctx.args.name);
    (await ctx.f.contexts()).get(name);
    return { summary: `switch to context ${name}`, steps: [{ action: 'use', target: `context ${name}` }] };
  },
  async run(ctx) {
    const name = String(ctx.args.name);
    (await ctx.f.contexts()).use(name);
    ctx.f.output().note(`Switched to context "${name}".`);
  },
};
