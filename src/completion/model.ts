// A flat view of the command tree for the shell completion generators.
import { GLOBAL_OPTIONS } from '../cli.js';
import { allVerbs, isGroup, type Completion, type RegistryEntry } from '../core/command-spec.js';

export interface FlagModel {
  /** All spellings, e.g. ['-o', '--output']. */
  names: string[];
  description: string;
  takesValue: boolean;
  values?: Completion;
}

export interface NodeModel {
  /** '' for the root, 'context', 'context add', … */
  path: string;
  description: string;
  children: Array<{ name: string; description: string }>;
  flags: FlagModel[];
  /** Completion of the first positional argument, if any. */
  arg?: Completion;
}

function flagModel(flags: string, description: string, values?: Completion): FlagModel {
  const names = flags.split(/[ ,]+/).filter((t) => t.startsWith('-'));
  const model: FlagModel = { names, description, takesValue: /[<[]/.test(flags) };
  if (values !== undefined) model.values = values;
  return model;
}

export function completionModel(registry: readonly RegistryEntry[]): NodeModel[] {
  const globals = GLOBAL_OPTIONS.map((g) => flagModel(g.flags, g.description, g.flags.startsWith('--context') ? 'contexts' : g.flags.startsWith('--ca-file') ? 'files' : g.choices));
  const nodes: NodeModel[] = [{
    path: '',
    description: 'cdm',
    children: registry.map((e) => ({ name: e.name, description: e.summary })),
    flags: [...globals, flagModel('-h, --help', 'show help'), flagModel('-V, --version', 'print the version')],
  }];
  for (const entry of registry) {
    if (isGroup(entry)) nodes.push({ path: entry.name, description: entry.summary, children: entry.verbs.map((v) => ({ name: v.name, description: v.summary })), flags: [...globals] });
  }
  for (const { path, verb } of allVerbs(registry)) {
    const node: NodeModel = {
      path: path.join(' '),
      description: verb.summary,
      children: [],
      flags: [...globals, flagModel('-h, --help', 'show help'), ...(verb.flags ?? []).map((f) => flagModel(f.flags, f.description, f.complete ?? f.choices))],
    };
    const first = verb.args?.[0];
    const arg = first?.complete ?? first?.choices;
    if (arg !== undefined) node.arg = arg;
    nodes.push(node);
  }
  return nodes;
}

/** Words offered for a value: fixed words, or a marker the shell script expands. */
export function valueWords(c: Completion): string {
  return typeof c === 'string' ? `__${c}__` : c.join(' ');
}
