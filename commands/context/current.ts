import type { ReadVerb } from '../../src/core/command-spec.js';
import { NotFoundError } from '../../src/core/errors.js';

export const current: ReadVerb = {
  name: 'current',
  summary: 'Print the name of the active context',
  examples: [{ command: 'cdm context current', description: 'prints e.g. local-provider' }],
  mutates: false,
  async run(ctx) {
    const name = await ctx.f.contextName();
    if (name === undefined) throw new NotFoundError('no current context', { hint: 'cdm context use <name>' });
    const out = ctx.f.output();
    if (out.machine) await out.item('CurrentContext', { name });
    else await out.raw(name);
  },
};
