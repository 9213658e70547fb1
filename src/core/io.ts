// The process's streams and the TTY policy every other module asks about, in one place
// (gh's IOStreams): stdout carries data only; prompts, progress and errors go to stderr.
import type { Readable, Writable } from 'node:stream';

export interface IOStreams {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

export interface TtyPolicy {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** True under CI=true/1 (any non-empty value other than "false"/"0"). */
  ci: boolean;
  color: boolean;
}

export function isTruthyEnv(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** `CDM_FORCE_TTY=1` lets tests and `script`-less CI logs exercise the TTY paths. */
export function ttyPolicy(io: IOStreams, noColorFlag = false): TtyPolicy {
  const forced = isTruthyEnv(io.env.CDM_FORCE_TTY);
  const stdoutIsTTY = forced || Boolean(io.stdout.isTTY);
  const stderrIsTTY = forced || Boolean(io.stderr.isTTY);
  const noColor = noColorFlag || io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '' || io.env.TERM === 'dumb';
  return {
    stdinIsTTY: forced || Boolean(io.stdin.isTTY),
    stdoutIsTTY,
    stderrIsTTY,
    ci: isTruthyEnv(io.env.CI),
    color: !noColor && (stderrIsTTY || isTruthyEnv(io.env.FORCE_COLOR)),
  };
}

export function processIO(): IOStreams {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}
