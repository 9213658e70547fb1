// Runs the whole CLI in-process with captured streams (vercel/balena style).
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/main.js';
import type { Prompter } from '../../src/core/prompter.js';
import { tempDir } from './temp.js';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** Pretend stdin/stdout/stderr are terminals. */
  tty?: boolean;
  prompter?: Prompter;
  interrupt?: AbortSignal;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

export function tempConfigEnv(): NodeJS.ProcessEnv {
  const dir = tempDir('cdm-test-');
  return { HOME: dir, CDM_CONFIG_DIR: join(dir, 'config'), CDM_STATE_DIR: join(dir, 'state'), PATH: process.env.PATH };
}

export async function runCli(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => { out += c.toString(); });
  stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const stdin = Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]);
  const tty = opts.tty === true;
  Object.assign(stdin, { isTTY: tty });
  Object.assign(stdout, { isTTY: tty, columns: 120 });
  Object.assign(stderr, { isTTY: tty, columns: 120 });
  const env = { ...(opts.env ?? tempConfigEnv()) };
  if (!tty) delete env.CDM_FORCE_TTY;
  const code = await main(argv, {
    io: { stdin, stdout, stderr, env },
    ...(opts.prompter ? { prompter: opts.prompter } : {}),
    ...(opts.interrupt ? { interrupt: opts.interrupt } : {}),
  });
  return { code, stdout: out, stderr: err, json: () => JSON.parse(out) };
}

/** `runCli` with `--context <context>` appended; `env` is read at call time (suites set it up in beforeAll). */
export function runInContext(env: () => NodeJS.ProcessEnv, context: string): (args: string[], stdin?: string) => Promise<RunResult> {
  return (args, stdin) => runCli([...args, '--context', context], { env: env(), ...(stdin !== undefined ? { stdin } : {}) });
}
