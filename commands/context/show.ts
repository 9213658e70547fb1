import type { ReadVerb } from '../../src/core/command-spec.js';
import { CONTEXT_VIEW, contextItem } from './view.js';

export const show: ReadVerb = {
  name: 'show',
  summary: 'Show one context (default: the active one)',
  args: [{ name: 'name', description: 'context name', complete: 'contexts' }],
  examples: [
    { command: 'cdm context show', description: 'the active context' },
    { command: 'cdm context show acme -o json', description: 'one context as a document' },
  ],
  mutates: false,
  async run(ctx) {
    const store = await ctx.f.contexts();
    const target = ctx.args.name === undefined ? await ctx.f.context() : store.get(String(ctx.args.name));
    await ctx.f.output().item('Context', contextItem(target, store.current), CONTEXT_VIEW.filter((c) => c.header !== 'CURRENT').map((c) => ({ ...c, wide: false })));
  },
};
