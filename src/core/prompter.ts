// One interface for every question cdm asks. Without a terminal (no TTY, CI=true or --no-input)
// a prompt is a usage error naming the flag that answers it, never a silent default.
import { CancelError, UsageError } from './errors.js';
import type { IOStreams, TtyPolicy } from './io.js';

export interface PromptOptions {
  /** The flag that answers this question non-interactively (named in the error). */
  flag: string;
}

export interface Prompter {
  readonly interactive: boolean;
  confirm(message: string, opts: PromptOptions & { default?: boolean }): Promise<boolean>;
  select<T extends string>(message: string, choices: ReadonlyArray<{ value: T; name?: string; description?: string }>, opts: PromptOptions): Promise<T>;
  input(message: string, opts: PromptOptions & { default?: string; validate?: (v: string) => string | true }): Promise<string>;
  password(message: string, opts: PromptOptions): Promise<string>;
  /** Severe actions: the user must type `expected` exactly. */
  confirmTyped(message: string, expected: string, opts: PromptOptions): Promise<boolean>;
}

export function canPrompt(tty: TtyPolicy, inputAllowed: boolean): boolean {
  return inputAllowed && !tty.ci && tty.stdinIsTTY && tty.stdoutIsTTY;
}

/** Names the question that could not be asked: "cannot prompt: pass --yes" alone left users guessing what about. */
function refusal(message: string, opts: PromptOptions, why: string): UsageError {
  return new UsageError(`cannot ask "${message.trim()}" (${why}): pass ${opts.flag}`, { hint: `rerun with ${opts.flag}` });
}

/** Used when prompting is impossible: every question fails with the flag to pass. */
export class NoInputPrompter implements Prompter {
  readonly interactive = false;
  constructor(private readonly why: string) {}
  confirm(m: string, o: PromptOptions): Promise<boolean> { return Promise.reject(refusal(m, o, this.why)); }
  select<T extends string>(m: string, _c: unknown, o: PromptOptions): Promise<T> { return Promise.reject(refusal(m, o, this.why)); }
  input(m: string, o: PromptOptions): Promise<string> { return Promise.reject(refusal(m, o, this.why)); }
  password(m: string, o: PromptOptions): Promise<string> { return Promise.reject(refusal(m, o, this.why)); }
  confirmTyped(m: string, _e: string, o: PromptOptions): Promise<boolean> { return Promise.reject(refusal(m, o, this.why)); }
}

/** Prompts with @inquirer/prompts on stderr, loaded only when a question is actually asked. */
export class InquirerPrompter implements Prompter {
  readonly interactive = true;
  constructor(private readonly io: IOStreams, private readonly signal?: AbortSignal) {}

  private get context() {
    return { input: this.io.stdin as NodeJS.ReadableStream, output: this.io.stderr as NodeJS.WritableStream, ...(this.signal ? { signal: this.signal } : {}), clearPromptOnDone: false };
  }

  async confirm(message: string, opts: PromptOptions & { default?: boolean }): Promise<boolean> {
    const { confirm } = await import('@inquirer/prompts');
    return guard(() => confirm({ message, default: opts.default ?? false }, this.context));
  }

  async select<T extends string>(message: string, choices: ReadonlyArray<{ value: T; name?: string; description?: string }>): Promise<T> {
    const { select } = await import('@inquirer/prompts');
    return guard(() => select<T>({ message, choices: choices.map((c) => ({ ...c })) }, this.context));
  }

  async input(message: string, opts: PromptOptions & { default?: string; validate?: (v: string) => string | true }): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    return guard(() => input({ message, ...(opts.default !== undefined ? { default: opts.default } : {}), ...(opts.validate ? { validate: opts.validate } : {}) }, this.context));
  }

  async password(message: string): Promise<string> {
    const { password } = await import('@inquirer/prompts');
    return guard(() => password({ message, mask: true }, this.context));
  }

  async confirmTyped(message: string, expected: string): Promise<boolean> {
    const { input } = await import('@inquirer/prompts');
    const answer = await guard(() => input({ message: `${message}\n  Type ${expected} to confirm:` }, this.context));
    return answer.trim() === expected;
  }
}

/** Ctrl-C inside a prompt is an interruption (exit 130), not a crash. */
async function guard<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') throw new CancelError('interrupted');
    throw err;
  }
}
