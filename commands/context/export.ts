import type { ReadVerb } from '../../src/core/command-spec.js';
import { writeFileAtomic } from '../../src/config/atomic.js';

export const exportVerb: ReadVerb = {
  name: 'export',
  summary: 'Export contexts as a ContextList document (credentials are never exported)',
  args: [{ name: 'names', description: 'contexts to export (default: all)', variadic: true, complete: 'contexts' }],
  flags: [{ flags: '--file <path>', description: 'write to a file (mode 0600) instead of stdout' }],
  examples: [
    { command: 'cdm context export > contexts.yaml', description: 'all contexts as YAML' },
    { command: 'cdm context export acme -o json --file acme.json', description: 'one context as JSON into a file' },
  ],
  mutates: false,
  async run(ctx) {
    const store = await ctx.f.contexts();
    const names = (ctx.args.names as string[] | undefined) ?? [];
    const items = names.length > 0 ? names.map((n) => store.get(n)) : store.list();
    const doc = { apiVersion: 'cdm/v1', kind: 'ContextList', items };
    // A context file is configuration: YAML unless JSON was asked for explicitly.
    const json = ctx.f.settings.output === 'json';
    const text = json ? `${JSON.stringify(doc, null, 2)}\n` : (await import('yaml')).stringify(doc);
    const file = ctx.flags.file as string | undefined;
    if (file) {
      writeFileAtomic(file, text, 0o600);
      ctx.f.output().note(`Wrote ${items.length} context(s) to ${file}.`);
    } else {
      await ctx.f.output().raw(text);
    }
  },
};
