// Global options resolved in one place, with precedence flag > env > context > default.
import { UsageError } from '../core/errors.js';
import { isTruthyEnv } from '../core/io.js';
import { parseDuration } from '../core/parse.js';
import { envVar } from './env.js';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'ndjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Raw global flags as commander parsed them (undefined when not given). */
export interface GlobalFlags {
  context?: string;
  output?: string;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  input?: boolean;
  yes?: boolean;
  confirm?: string;
  dryRun?: boolean;
  timeout?: string;
  caFile?: string;
  insecure?: boolean;
}

/** The per-context defaults that take part in resolution. */
export interface ContextDefaults {
  output?: string;
  timeout?: string;
  caFile?: string;
}

export interface Settings {
  contextName?: string;
  /** Undefined means "the default for this stdout": table on a TTY (TSV when piped). */
  output?: OutputFormat;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  input: boolean;
  yes: boolean;
  confirm?: string;
  dryRun: boolean;
  timeoutMs?: number;
  caFile?: string;
  insecure: boolean;
}

export function parseOutputFormat(value: string, source: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UsageError(`invalid ${source} "${value}": expected one of ${OUTPUT_FORMATS.join(', ')}`);
}

/** Resolves what can be known before a context is loaded (the context name itself among it). */
export function resolveSettings(flags: GlobalFlags, env: NodeJS.ProcessEnv, ctx: ContextDefaults = {}): Settings {
  const outputRaw = flags.output ?? envVar(env, 'CDM_OUTPUT') ?? ctx.output;
  const outputSource = flags.output !== undefined ? '--output' : envVar(env, 'CDM_OUTPUT') !== undefined ? 'CDM_OUTPUT' : 'context output';
  const timeoutRaw = flags.timeout ?? envVar(env, 'CDM_TIMEOUT') ?? ctx.timeout;
  const timeoutSource = flags.timeout !== undefined ? '--timeout' : envVar(env, 'CDM_TIMEOUT') !== undefined ? 'CDM_TIMEOUT' : 'context timeout';
  const settings: Settings = {
    color: flags.color !== false && envVar(env, 'NO_COLOR') === undefined,
    quiet: flags.quiet === true,
    verbose: flags.verbose === true || envVar(env, 'CDM_DEBUG') === 'http',
    input: flags.input !== false && !isTruthyEnv(envVar(env, 'CDM_NO_INPUT')),
    yes: flags.yes === true,
    dryRun: flags.dryRun === true,
    insecure: flags.insecure === true,
  };
  const contextName = flags.context ?? envVar(env, 'CDM_CONTEXT');
  if (contextName !== undefined) settings.contextName = contextName;
  if (outputRaw !== undefined) settings.output = parseOutputFormat(outputRaw, outputSource);
  if (timeoutRaw !== undefined) {
    const ms = parseDuration(timeoutRaw, timeoutSource);
    if (ms <= 0) throw new UsageError(`invalid ${timeoutSource} "${timeoutRaw}": must be greater than zero`);
    settings.timeoutMs = ms;
  }
  const caFile = flags.caFile ?? envVar(env, 'CDM_CA_FILE') ?? ctx.caFile;
  if (caFile !== undefined) settings.caFile = caFile;
  if (flags.confirm !== undefined) settings.confirm = flags.confirm;
  return settings;
}
