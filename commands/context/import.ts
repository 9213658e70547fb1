import { dirname, resolve } from 'node:path';
import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { count } from '../../src/core/plural.js';
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
  // Files a context names relative to the document are found beside it (stdin: here), then kept absolute.
  const base = source === '-' ? process.cwd() : dirname(resolve(source));
  return items.map((item, i) => {
    const name = parseName(String((item as { name?: unknown })?.name ?? ''), `${source} items[${i}].name`);
    const spec = validateContextSpec(item, `${source} items[${i}] (${name})`);
    if (spec.caFile !== undefined) spec.caFile = resolve(base, spec.caFile);
    if (spec.clientCert) spec.clientCert = { certFile: resolve(base, spec.clientCert.certFile), keyFile: resolve(base, spec.clientCert.keyFile) };
    return { name, ...spec };
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
      summary: `import ${count(items.length, 'context')}`,
      steps: items.map((c) => ({ action: store.has(c.name) ? (ctx.flags.overwrite ? 'replace' : 'conflict') : 'add', target: `context ${c.name}`, details: { type: c.type } })),
    };
  },
  async run(ctx) {
    const items = await readDocument(ctx);
    const store = await ctx.f.contexts();
    const clashes = items.filter((c) => store.has(c.name));
    // All or nothing: a clash is reported before any context is written.
    if (clashes.length > 0 && !ctx.flags.overwrite) {
      throw new ConflictError(`${clashes.length === 1 ? 'context already exists' : 'contexts already exist'}: ${clashes.map((c) => c.name).join(', ')}; nothing was imported`, { hint: 'pass --overwrite to replace them' });
    }
    for (const { name, ...spec } of items) store.add(name, spec, { overwrite: true });
    ctx.f.output().note(`Imported ${count(items.length, 'context')}.`);
  },
};
