// The context store: config.json under the config dir, holding the contexts and which one is
// current. Written atomically (temp file + rename). `conf` was tried first and dropped: it loads
// ajv and friends, adding ~80 ms to every command that reads a context (bench/startup).
import { mkdirSync, readFileSync } from 'node:fs';
import { writeJsonAtomic } from './atomic.js';
import { withFileLock } from './file-lock.js';
import { ConflictError, NotFoundError, UsageError } from '../core/errors.js';
import type { ContextSpec, NamedContext } from './context-spec.js';
import type { Paths } from './paths.js';

interface ConfigDocument {
  apiVersion: string;
  currentContext?: string;
  contexts: Record<string, ContextSpec>;
}

export class ContextStore {
  private constructor(private readonly paths: Paths, private doc: ConfigDocument) {}

  static async open(paths: Paths): Promise<ContextStore> {
    return new ContextStore(paths, readConfig(paths));
  }

  get current(): string | undefined {
    return this.doc.currentContext;
  }

  list(): NamedContext[] {
    return Object.entries(this.doc.contexts).map(([name, spec]) => ({ name, ...spec }));
  }

  has(name: string): boolean {
    return Object.hasOwn(this.doc.contexts, name);
  }

  get(name: string): NamedContext {
    const spec = this.doc.contexts[name];
    if (!spec || !this.has(name)) throw unknownContext(name, Object.keys(this.doc.contexts));
    return { name, ...spec };
  }

  // Each change checks and applies itself to the file as it is when the change is made (save).
  add(name: string, spec: ContextSpec, opts: { overwrite?: boolean } = {}): void {
    this.save(() => {
      if (this.has(name) && !opts.overwrite) {
        throw new ConflictError(`context "${name}" already exists`, { hint: 'choose another name, or pass --overwrite' });
      }
      this.doc.contexts[name] = spec;
    });
  }

  use(name: string): void {
    this.save(() => {
      this.get(name);
      this.doc.currentContext = name;
    });
  }

  rename(from: string, to: string): void {
    this.save(() => {
      const { name: _drop, ...rest } = this.get(from);
      if (this.has(to)) throw new ConflictError(`context "${to}" already exists`);
      delete this.doc.contexts[from];
      this.doc.contexts[to] = rest;
      if (this.doc.currentContext === from) this.doc.currentContext = to;
    });
  }

  remove(name: string): void {
    this.save(() => {
      this.get(name);
      delete this.doc.contexts[name];
      if (this.doc.currentContext === name) delete this.doc.currentContext;
    });
  }

  /**
   * Reads the file again under its lock, applies the change and writes it: another cdm (a
   * `stack up` writing its contexts, a parallel CI job) may have changed it since this one read it.
   */
  private save(change: () => void): void {
    mkdirSync(this.paths.configDir, { recursive: true, mode: 0o700 });
    withFileLock(this.paths.configFile, () => {
      this.doc = readConfig(this.paths);
      change();
      writeJsonAtomic(this.paths.configFile, this.doc, 0o600);
    });
  }
}

function readConfig(paths: Paths): ConfigDocument {
  let text: string;
  try {
    text = readFileSync(paths.configFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { apiVersion: 'cdm/v1', contexts: {} };
    throw err;
  }
  try {
    const doc = JSON.parse(text) as ConfigDocument;
    if (typeof doc !== 'object' || doc === null || typeof doc.contexts !== 'object' || doc.contexts === null) throw new Error('no "contexts" object');
    return doc;
  } catch (err) {
    throw new UsageError(`config file ${paths.configFile} is not valid: ${(err as Error).message}`, { hint: 'fix or move the file away' });
  }
}

export function unknownContext(name: string, known: string[]): NotFoundError | UsageError {
  const close = known.filter((k) => editDistance(k, name) <= 2);
  const hint = close.length > 0 ? `did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : known.length > 0 ? `known contexts: ${known.join(', ')}` : 'add one with `cdm context add` or `cdm stack up`';
  // An unknown context named by the user is bad input (exit 2): nothing can be sent anywhere.
  return new UsageError(`unknown context "${name}"`, { hint });
}

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length]![b.length]!;
}
