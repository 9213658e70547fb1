import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { ConflictError, UsageError } from '../../src/core/errors.js';
import { parseName } from '../../src/core/parse.js';
import { readTextInput } from '../../src/core/read-input.js';
import type { NamedContext } from '../../src/config/context-spec.js';
import { validateContextSpec } from '../../src/config/context-validate.js';

async function readDocument(ctx: CommandContext): Promise<NamedContext[]> {
  const source = String(ctx.args.file);
  const text = await readTextInput(source, ctx.f.io);
  let doc: unknown;
  try {
    doc = (await import('yaml')).parse(text);
  } catch (err) {
    throw new UsageError(`${source} is neither YAML nor JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const items = (doc as { kind?: string; items?: unknown })?.kind === 'ContextList' ? (doc as { items: unknown }).items : undefined;
  if (!Array.isArray(items)) throw new UsageError(`${source}: expected a document with kind: ContextList and items (as written by \`cdm context export\`)`);
  return items.map((item, i) => {
    const name = parseName(String((item as { name?: unknown })?.name ?? ''), `${source} items[${i}].name`);
    return { name, ...validateContextSpec(item, `${source} items[${i}] (${name})`) };
  });
}

export const importVerb: MutatingVerb = {
  name: 'import',
  summary: 'Import contexts from a ContextList document (YAML or JSON, file or -)',
  args: [{ name: 'file', description: 'file written by `cdm context export`, or - for stdin', required: true, complete: 'files' }],
  flags: [{ flags: '--overwrite', description: 'replace contexts that already exist' }],
  examples: [
    { command: 'cdm context import contexts.yaml', description: 'add the contexts a colleague exported' },
    { command: 'ssh bastion cdm context export | cdm context import - --overwrite', description: 'copy contexts from another machine' },
  ],
  mutates: true,
  async plan(ctx) {
    const items = await readDocument(ctx);
    const store = await ctx.f.contexts();
    return {
      summary: `import ${items.length} context(s)`,
      steps: items.map((c) => ({ action: store.has(c.name) ? (ctx.flags.overwrite ? 'replace' : 'conflict') : 'add', target: `context ${c.name}`, details: { type: c.type } })),
    };
  },
  async run(ctx) {
    const items = await readDocument(ctx);
    const store = await ctx.f.contexts();
    const clashes = items.filter((c) => store.has(c.name));
    // All or nothing: a clash is reported before any context is written.
    if (clashes.length > 0 && !ctx.flags.overwrite) {
      throw new ConflictError(`context(s) already exist: ${clashes.map((c) => c.name).join(', ')}; nothing was imported`, { hint: 'pass --overwrite to replace them' });
    }
    for (const { name, ...spec } of items) store.add(name, spec, { overwrite: true });
    ctx.f.output().note(`Imported ${items.length} context(s).`);
  },
};
