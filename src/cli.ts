// Builds the commander tree from the command registry. Only metadata is touched here: verb
// implementations load their heavy modules inside `run`.
import { Command, Option } from 'commander';
import { flagKey, isGroup, type RegistryEntry, type VerbSpec } from './core/command-spec.js';
import { UsageError } from './core/errors.js';
import { OUTPUT_FORMATS, type GlobalFlags } from './config/settings.js';

export type VerbHandler = (invocation: {
  path: string[];
  verb: VerbSpec;
  args: Record<string, unknown>;
  flags: Record<string, unknown>;
  globals: GlobalFlags;
}) => Promise<void>;

export const GLOBAL_OPTIONS: ReadonlyArray<{ flags: string; description: string; choices?: readonly string[] }> = [
  { flags: '--context <name>', description: 'context to use (env CDM_CONTEXT)' },
  { flags: '-o, --output <format>', description: 'output format (env CDM_OUTPUT)', choices: OUTPUT_FORMATS },
  { flags: '--no-color', description: 'plain output (env NO_COLOR)' },
  { flags: '-q, --quiet', description: 'no progress, no hints' },
  { flags: '-v, --verbose', description: 'HTTP trace on stderr, secrets redacted (env CDM_DEBUG=http); stack traces' },
  { flags: '--no-input', description: 'never prompt; a missing answer exits 2 (env CDM_NO_INPUT=1)' },
  { flags: '-y, --yes', description: 'answer yes to ordinary confirmations (never to severe ones)' },
  { flags: '--confirm <id>', description: 'confirm a severe action on the given target id' },
  { flags: '--dry-run', description: 'print the plan of a mutating command and change nothing' },
  { flags: '--timeout <duration>', description: 'bound on the whole command, e.g. 30s, 5m (env CDM_TIMEOUT)' },
  { flags: '--ca-file <pem>', description: 'extra trusted CA bundle (env CDM_CA_FILE)' },
  { flags: '--insecure', description: 'skip TLS verification (loud warning; refused on production contexts)' },
];

/** Fixed, so help looks the same everywhere and can be pre-rendered at build time (bin fast path). */
export const HELP_WIDTH = 80;

export const HELP_TOPICS = ['environment', 'exit-codes', 'output', 'contexts'] as const;

export interface ProgramStreams {
  writeOut(s: string): void;
  writeErr(s: string): void;
}

export function buildProgram(registry: readonly RegistryEntry[], onVerb: VerbHandler, streams: ProgramStreams): Command {
  // Set before any subcommand exists: commander copies these settings into subcommands at creation.
  const program = new Command('cdm')
    .exitOverride()
    // Errors are printed once, in the chosen format, by main's reportError.
    .configureOutput({ writeOut: streams.writeOut, writeErr: streams.writeErr, outputError: () => undefined, getOutHelpWidth: () => HELP_WIDTH, getErrHelpWidth: () => HELP_WIDTH })
    .description('Operator CLI of Complete Device Management: tenants, devices, certificates, rollouts, audit and the stacks they run on.')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    // `--version` is answered only as the sole argument (see main), so verbs may own a `--version` flag.
    .addHelpText('after', `\n\`cdm --version\` prints the version.\nHelp topics: ${HELP_TOPICS.map((t) => `cdm help ${t}`).join(', ')}\nDocs: README.md · cdm <group> <verb> --help shows examples.`);

  for (const g of GLOBAL_OPTIONS) {
    const opt = new Option(g.flags, g.description);
    if (g.choices) opt.choices(g.choices);
    program.addOption(opt);
  }

  for (const entry of registry) {
    if (isGroup(entry)) {
      const group = program.command(entry.name).description(entry.description ?? entry.summary).summary(entry.summary).helpCommand(false);
      for (const verb of entry.verbs) addVerb(group, [entry.name, verb.name], verb, program, onVerb);
    } else {
      addVerb(program, [entry.name], entry, program, onVerb);
    }
  }
  return program;
}

function addVerb(parent: Command, path: string[], verb: VerbSpec, root: Command, onVerb: VerbHandler): void {
  const cmd = parent.command(verb.name).description(verb.description ?? verb.summary).summary(verb.summary);
  for (const alias of verb.aliases ?? []) cmd.alias(alias);
  for (const arg of verb.args ?? []) {
    const syntax = arg.required ? `<${arg.name}${arg.variadic ? '...' : ''}>` : `[${arg.name}${arg.variadic ? '...' : ''}]`;
    cmd.argument(syntax, arg.description);
    if (arg.choices) {
      const last = cmd.registeredArguments[cmd.registeredArguments.length - 1]!;
      last.choices(arg.choices);
    }
  }
  for (const flag of verb.flags ?? []) {
    const opt = new Option(flag.flags, flag.description);
    if (flag.choices) opt.choices(flag.choices);
    if (flag.default !== undefined) opt.default(flag.default);
    if (flag.required) opt.makeOptionMandatory(true);
    if (flag.parse) {
      const parse = flag.parse;
      const long = `--${/--([a-z0-9-]+)/i.exec(flag.flags)?.[1] ?? ''}`;
      opt.argParser((value: string) => {
        try {
          return parse(value);
        } catch (err) {
          // Named once: parsers shared with other callers (parseGroups) already name the flag.
          if (err instanceof UsageError) throw new UsageError(err.message.includes(long) ? err.message : `${long}: ${err.message}`, err.hint ? { hint: err.hint } : {});
          throw err;
        }
      });
    }
    cmd.addOption(opt);
  }
  if (verb.passThrough) cmd.passThroughOptions(false).allowExcessArguments(true);
  const examples = verb.examples.map((e) => `  $ ${e.command}\n      ${e.description}`).join('\n');
  const notes: string[] = [];
  if (verb.mutates) notes.push(verb.severe ? 'Severe: needs typed confirmation on a TTY or --confirm <id>; --yes does not pass it. --dry-run prints the plan.' : 'Changes state: --dry-run prints the plan and changes nothing.');
  cmd.addHelpText('after', `\nExamples:\n${examples}${notes.length ? `\n\n${notes.join('\n')}` : ''}`);

  cmd.action(async (...actionArgs: unknown[]) => {
    const positional = actionArgs.slice(0, (verb.args ?? []).length);
    const args: Record<string, unknown> = {};
    (verb.args ?? []).forEach((a, i) => { args[flagKey(`--${a.name}`)] = positional[i]; });
    if (verb.passThrough) args.rest = cmd.args.slice((verb.args ?? []).length);
    const flags = cmd.opts() as Record<string, unknown>;
    await onVerb({ path, verb, args, flags, globals: root.opts() as GlobalFlags });
  });
}

/**
 * Every command's help text, keyed by its path ('' for the root, 'context add', …). The build
 * writes these to dist/help/<path>.txt so `cdm [path] --help` answers without loading the CLI.
 */
export function renderAllHelp(registry: readonly RegistryEntry[]): Record<string, string> {
  let buffer = '';
  const program = buildProgram(registry, async () => undefined, { writeOut: (s) => { buffer += s; }, writeErr: (s) => { buffer += s; } });
  const texts: Record<string, string> = {};
  const visit = (cmd: Command, path: string[]): void => {
    buffer = '';
    cmd.outputHelp();
    texts[path.join(' ')] = buffer;
    for (const sub of cmd.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return texts;
}
