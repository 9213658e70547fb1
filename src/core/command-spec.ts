// Command metadata is data: one registry of these specs builds the commander tree, help,
// completions, the docs and the lint tests. Verb files import only light modules at the top
// and load the heavy ones inside `run`, so building the tree for `--help` stays cheap.
import type { Factory } from './factory.js';

export interface FlagSpec {
  /** Commander syntax: `-n, --name <value>`, `--force`, `--groups <list>`, `--tag <t...>`. */
  flags: string;
  description: string;
  /** Converts and validates the raw value; throws UsageError on bad input. */
  parse?: (value: string) => unknown;
  default?: string | boolean | number;
  choices?: readonly string[];
  /** Mandatory option (commander reports it missing with exit 2). */
  required?: boolean;
  /** Shell completion for the value. */
  complete?: Completion;
}

export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
  choices?: readonly string[];
  complete?: Completion;
}

/** What a shell may offer for a value: fixed words, context names, or file paths. */
export type Completion = readonly string[] | 'contexts' | 'files';

export interface Example {
  command: string;
  description: string;
}

/** A step a mutating command would take; `--dry-run` prints these instead of acting. */
export interface PlanStep {
  action: string;
  target: string;
  service?: string;
  details?: Record<string, unknown>;
}

export interface Plan {
  summary: string;
  steps: PlanStep[];
}

export interface CommandContext {
  /** Positional arguments by name (variadic ones are arrays). */
  args: Record<string, unknown>;
  /** Verb flags by their camelCase name, after `parse`. */
  flags: Record<string, unknown>;
  f: Factory;
}

interface BaseVerb {
  name: string;
  summary: string;
  description?: string;
  aliases?: readonly string[];
  args?: readonly ArgSpec[];
  flags?: readonly FlagSpec[];
  examples: readonly Example[];
  /** Arguments after `--` are passed through untouched (e.g. a remote command). */
  passThrough?: boolean;
  /** Returns the exit code (0 when omitted). */
  run(ctx: CommandContext): Promise<number | void>;
}

export interface ReadVerb extends BaseVerb {
  mutates: false;
}

export interface MutatingVerb extends BaseVerb {
  mutates: true;
  /** Typed confirmation of `target(ctx)` on a TTY, or `--confirm <id>`; `--yes` never passes it. */
  severe?: boolean;
  /** Ask before acting on a TTY (answered by `--yes`); severe verbs always ask. */
  confirm?: boolean;
  /** The id that a severe confirmation must repeat (also what cdm's journal names as the target). */
  target?(ctx: CommandContext): string;
  /** What cdm's journal names as the target when no argument does (e.g. the file of a bulk run). */
  auditTarget?(ctx: CommandContext): string | undefined;
  /** What the command would do; printed by `--dry-run`, which sends no state-changing request. */
  plan(ctx: CommandContext): Promise<Plan>;
}

export type VerbSpec = ReadVerb | MutatingVerb;

export interface GroupSpec {
  name: string;
  summary: string;
  description?: string;
  verbs: readonly VerbSpec[];
}

export type RegistryEntry = GroupSpec | VerbSpec;

export function isGroup(e: RegistryEntry): e is GroupSpec {
  return 'verbs' in e;
}

/** Long flag name → the camelCase key commander uses (`--client-id` → `clientId`, `--no-wait` → `wait`). */
export function flagKey(flags: string): string {
  const long = /--([a-z0-9][a-z0-9-]*)/i.exec(flags)?.[1] ?? '';
  const name = long.startsWith('no-') ? long.slice(3) : long;
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Walks every verb with its full command path (`['context', 'add']`, `['version']`). */
export function* allVerbs(registry: readonly RegistryEntry[]): Generator<{ path: string[]; verb: VerbSpec }> {
  for (const entry of registry) {
    if (isGroup(entry)) for (const verb of entry.verbs) yield { path: [entry.name, verb.name], verb };
    else yield { path: [entry.name], verb: entry };
  }
}
