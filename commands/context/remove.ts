import type { MutatingVerb } from '../../src/core/command-spec.js';

export const remove: MutatingVerb = {
  name: 'remove',
  aliases: ['rm'],
  summary: 'Remove a context and its stored credentials',
  args: [{ name: 'name', description: 'context name', required: true, complete: 'contexts' }],
  examples: [
    { command: 'cdm context remove old-lab', description: 'asks first on a terminal' },
    { command: 'cdm context remove old-lab --yes', description: 'in a script' },
  ],
  mutates: true,
  confirm: true,
  async plan(ctx) {
    const name = String(ctx.args.name);
    (await ctx.f.contexts()).get(name);
    return {
      summary: `remove context ${name}`,
      steps: [
        { action: 'remove', target: `context ${name}` },
        { action: 'delete', target: `stored credentials and tokens of ${name}` },
      ],
    };
  },
  async run(ctx) {
    const name = String(ctx.args.name);
    const store = await ctx.f.contexts();
    const creds = await ctx.f.credentials();
    store.remove(name);
    creds.removeContext(name);
    ctx.f.output().note(`Removed context "${name}".`);
  },
};
