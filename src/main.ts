// The CLI entry: parse, run one verb, and turn every outcome into an exit code (commands.md §4).
// Returns the code instead of exiting, so tests run the whole CLI in-process.
import { CommanderError } from 'commander';
import { buildProgram } from './cli.js';
import { REGISTRY } from '../commands/index.js';
import { CancelError, CdmError, errorBody, exitCodeOf, PendingError, UsageError, type ErrorDetails } from './core/errors.js';
import { Factory } from './core/factory.js';
import type { IOStreams } from './core/io.js';
import type { Prompter } from './core/prompter.js';
import { formatDuration } from './core/parse.js';
import { MAX_TIMER_MS } from './core/sleep.js';
import { runVerb } from './core/runner.js';
import { resolveSettings } from './config/settings.js';
import { VERSION } from './version.js';

export interface MainOptions {
  io: IOStreams;
  /** Aborts the command (Ctrl-C in the real process). */
  interrupt?: AbortSignal;
  prompter?: Prompter;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** How long an interrupted verb may take to stop and report before it is cut off. */
const ABORT_GRACE_MS = 2_000;

export async function main(argv: string[], opts: MainOptions): Promise<number> {
  const { io } = opts;
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  let exitCode = 0;
  let factory: Factory | undefined;
  const program = buildProgram(REGISTRY, async ({ path, verb, args, flags, globals }) => {
    const controller = new AbortController();
    const onInterrupt = (): void => controller.abort(new CancelError(opts.interrupt?.reason === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted'));
    opts.interrupt?.addEventListener('abort', onInterrupt, { once: true });
    const settings = resolveSettings(globals, io.env);
    let timer: NodeJS.Timeout | undefined;
    // A bound longer than a timer can hold (24.8 days) bounds nothing a command does: no timer.
    if (settings.timeoutMs !== undefined && settings.timeoutMs <= MAX_TIMER_MS) {
      const ms = settings.timeoutMs;
      timer = setTimeout(() => controller.abort(new PendingError(`timed out after ${formatDuration(ms)} (--timeout)`)), ms);
    }
    factory = new Factory({ io, flags: globals, signal: controller.signal, ...(opts.prompter ? { prompter: opts.prompter } : {}), ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.sleep ? { sleep: opts.sleep } : {}) });
    // On an interrupt or --timeout the verb's requests are cancelled with the signal, and a verb that
    // reacts says what took effect (a bulk run: how many enrolled, how to resume); one that does not
    // is cut off after ABORT_GRACE_MS. Either way the exit code is the interrupt's or the timeout's.
    let grace: NodeJS.Timeout | undefined;
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => { grace = setTimeout(() => reject(controller.signal.reason), ABORT_GRACE_MS); }, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      exitCode = await Promise.race([runVerb(path, verb, { args, flags, f: factory }), aborted]);
      if (controller.signal.aborted) throw controller.signal.reason;
    } catch (err) {
      throw controller.signal.aborted ? asAbort(controller.signal.reason, err) : err;
    } finally {
      if (timer) clearTimeout(timer);
      if (grace) clearTimeout(grace);
      opts.interrupt?.removeEventListener('abort', onInterrupt);
    }
  }, { writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    const code = commanderExit(err);
    if (code !== undefined) return code;
    return reportError(err, argv, io);
  } finally {
    await factory?.close().catch(() => undefined);
  }
}

/**
 * A verb that failed because it was interrupted (its steps cut off) keeps its report and hint, under
 * the interrupt's (or the timeout's) exit code: scripts see 130 or 8, people see what took effect.
 */
export function asAbort(reason: unknown, err: unknown): unknown {
  if (!(reason instanceof CdmError) || !(err instanceof CdmError) || err.exitCode === reason.exitCode) return err;
  const Abort = reason.constructor as new (m: string, d: ErrorDetails) => CdmError;
  return new Abort(`${reason.message}: ${err.message}`, { ...(err.hint !== undefined ? { hint: err.hint } : {}), ...(err.service !== undefined ? { service: err.service } : {}), cause: err });
}

/** Help and version exit 0; a group called without a verb shows its help and exits 2. */
function commanderExit(err: unknown): number | undefined {
  if (!(err instanceof CommanderError)) return undefined;
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
  if (err.code === 'commander.help') return 2;
  return undefined;
}

function reportError(err: unknown, argv: string[], io: IOStreams): number {
  const error = err instanceof CommanderError ? new UsageError(commanderMessage(err)) : err;
  const code = exitCodeOf(error);
  const body = errorBody(error);
  if (wantsJson(argv, io.env)) {
    io.stderr.write(`${JSON.stringify({ apiVersion: 'cdm/v1', kind: 'Error', error: body })}\n`);
  } else {
    io.stderr.write(`error: ${body.message}\n`);
    if (body.hint) io.stderr.write(`hint: ${body.hint}\n`);
  }
  if (isVerbose(argv, io.env) && error instanceof Error && error.stack && !(error instanceof UsageError)) {
    io.stderr.write(`${error.stack}\n`);
  }
  return code;
}

function commanderMessage(err: CommanderError): string {
  return err.message.replace(/^error: /, '').replace(/\n+/g, ' ').trim();
}

/** The output format is needed even when parsing failed, so it is read from argv directly. */
function wantsJson(argv: string[], env: NodeJS.ProcessEnv): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if ((a === '-o' || a === '--output') && argv[i + 1] === 'json') return true;
    if (a === '--output=json' || a === '-ojson') return true;
  }
  return env.CDM_OUTPUT === 'json' && !argv.some((a) => a === '-o' || a === '--output' || a.startsWith('--output='));
}

function isVerbose(argv: string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('-v') || argv.includes('--verbose') || env.CDM_DEBUG === 'http';
}
