import type { MutatingVerb } from '../../src/core/command-spec.js';
import { parseName } from '../../src/core/parse.js';

export const rename: MutatingVerb = {
  name: 'rename',
  summary: 'Rename a context (its credentials follow it)',
  args: [
    { name: 'old', description: 'current name', required: true, complete: 'contexts' },
    { name: 'new', description: 'new name', required: true },
  ],
  examples: [{ command: 'cdm context rename local-acme acme-dev', description: 'rename a context' }],
  mutates: true,
  async plan(ctx) {
    const from = String(ctx.args.old);
    const to = parseName(String(ctx.args.new), 'context name');
    (await ctx.f.contexts()).get(from);
    return { summary: `rename context ${from} to ${to}`, steps: [{ action: 'rename', target: `context ${from}`, details: { to } }] };
  },
  async run(ctx) {
    const from = String(ctx.args.old);
    const to = parseName(String(ctx.args.new), 'context name');
    const store = await ctx.f.contexts();
    const creds = await ctx.f.credentials();
    store.rename(from, to);
    creds.rename(from, to);
    ctx.f.output().note(`Context "${from}" is now "${to}".`);
  },
};
