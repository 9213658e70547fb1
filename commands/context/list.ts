import type { ReadVerb } from '../../src/core/command-spec.js';
import { CONTEXT_VIEW, contextItem } from './view.js';

export const list: ReadVerb = {
  name: 'list',
  aliases: ['ls'],
  summary: 'List contexts; the current one is marked',
  examples: [
    { command: 'cdm context list', description: 'all contexts' },
    { command: 'cdm context list -o wide', description: 'with every service URL' },
  ],
  mutates: false,
  async run(ctx) {
    const store = await ctx.f.contexts();
    const items = store.list().map((c) => contextItem(c, store.current));
    await ctx.f.output().list('Context', items, CONTEXT_VIEW, { empty: 'No contexts yet: `cdm stack up` writes the sandbox ones, `cdm context add` any other.' });
  },
};
