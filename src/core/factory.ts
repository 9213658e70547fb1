// One factory builds every dependency lazily (gh's Factory): a command touches only what it
// uses, and tests swap any part. Nothing heavy is imported at module load.
import type { ContextStore } from '../config/contexts.js';
import type { NamedContext } from '../config/context-spec.js';
import type { CredentialStore } from '../config/credentials.js';
import { envVar } from '../config/env.js';
import { resolvePaths, type Paths } from '../config/paths.js';
import { resolveSettings, type GlobalFlags, type OutputFormat, type Settings } from '../config/settings.js';
import type { HttpClient } from '../http/types.js';
import type { OidcSession } from '../auth/session.js';
import { UsageError } from './errors.js';
import { parseRateLimit } from './parse.js';
import { ttyPolicy, type IOStreams, type TtyPolicy } from './io.js';
import { Output } from './output.js';
import { Progress } from './progress.js';
import { sleep } from './sleep.js';
import { newCorrelationId } from './journal.js';
import { canPrompt, InquirerPrompter, NoInputPrompter, type Prompter } from './prompter.js';

export interface FactoryOptions {
  io: IOStreams;
  flags: GlobalFlags;
  /** Aborted on Ctrl-C (reason: CancelError) or when --timeout expires (reason: PendingError). */
  signal: AbortSignal;
  clock?: () => number;
  /** Test seam: replaces the prompter. */
  prompter?: Prompter;
  /** Test seam: replaces waiting (polling intervals, backoff). */
  sleep?: (ms: number) => Promise<void>;
}

/** Requests per second for one command: enough for bulk work, still gentle on a shared backend. */
const DEFAULT_RATE_LIMIT = 50;

/** CDM_RATE_LIMIT, else the context's default (sandbox contexts: none), else 50; 0 means none. */
export function resolveRateLimit(env: NodeJS.ProcessEnv, contextDefault: number | undefined): number {
  const raw = envVar(env, 'CDM_RATE_LIMIT');
  const n = raw !== undefined ? parseRateLimit(raw, 'CDM_RATE_LIMIT') : contextDefault ?? DEFAULT_RATE_LIMIT;
  return n === 0 ? Number.POSITIVE_INFINITY : n;
}

export class Factory {
  readonly io: IOStreams;
  readonly signal: AbortSignal;
  readonly clock: () => number;
  /** Waits, ending early when the command is interrupted or times out. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly paths: Paths;
  /** Ties this command's journal entry, workflow steps and request traces together. */
  readonly correlationId: string = newCorrelationId();
  private readonly flags: GlobalFlags;
  private baseSettings: Settings;
  private cached: { contexts?: Promise<ContextStore>; credentials?: CredentialStore; context?: Promise<NamedContext>; session?: Promise<OidcSession>; prompter?: Prompter; output?: Output; progress?: Progress; http?: Promise<HttpClient>; tty?: TtyPolicy; settings?: Settings } = {};
  private readonly injectedPrompter: Prompter | undefined;

  constructor(opts: FactoryOptions) {
    this.io = opts.io;
    this.flags = opts.flags;
    this.signal = opts.signal;
    this.clock = opts.clock ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => sleep(ms, this.signal));
    this.paths = resolvePaths(opts.io.env);
    this.baseSettings = resolveSettings(opts.flags, opts.io.env);
    this.injectedPrompter = opts.prompter;
  }

  /** Settings known without loading a context (enough for output and prompting decisions). */
  get settings(): Settings {
    return this.cached.settings ?? this.baseSettings;
  }

  get tty(): TtyPolicy {
    return (this.cached.tty ??= ttyPolicy(this.io, !this.settings.color));
  }

  /** The command's output; `format` for a verb whose own flag chooses it (audit export --format). */
  output(format?: OutputFormat): Output {
    if (format !== undefined && format !== this.settings.output) return new Output(this.io, format, this.tty, this.settings.quiet);
    return (this.cached.output ??= new Output(this.io, this.settings.output, this.tty, this.settings.quiet));
  }

  progress(): Progress {
    return (this.cached.progress ??= new Progress(this.io, this.tty, this.settings.quiet));
  }

  prompter(): Prompter {
    if (this.injectedPrompter) return this.injectedPrompter;
    if (this.cached.prompter) return this.cached.prompter;
    const s = this.settings;
    const why = !s.input ? '--no-input' : this.tty.ci ? 'CI is set' : 'not a terminal';
    this.cached.prompter = canPrompt(this.tty, s.input) ? new InquirerPrompter(this.io, this.signal) : new NoInputPrompter(why);
    return this.cached.prompter;
  }

  contexts(): Promise<ContextStore> {
    return (this.cached.contexts ??= import('../config/contexts.js').then((m) => m.ContextStore.open(this.paths)));
  }

  async credentials(): Promise<CredentialStore> {
    if (!this.cached.credentials) {
      const { CredentialStore } = await import('../config/credentials.js');
      this.cached.credentials = new CredentialStore(this.paths);
    }
    return this.cached.credentials;
  }

  /** The active context (flag > CDM_CONTEXT > current); its defaults join the settings. */
  context(): Promise<NamedContext> {
    return (this.cached.context ??= this.loadContext());
  }

  /** The name the command would use, without failing when none is configured. */
  async contextName(): Promise<string | undefined> {
    return this.settings.contextName ?? (await this.contexts()).current;
  }

  /**
   * The OIDC session of the active context (tokens refreshed ahead of expiry). One per command:
   * concurrent requests share its token, its login and its refreshes.
   */
  session(): Promise<OidcSession> {
    if (!this.cached.session) {
      const created = this.newSession();
      // A failure (e.g. no context) is not kept: the command may fix it and ask again.
      created.catch(() => { if (this.cached.session === created) this.cached.session = undefined; });
      this.cached.session = created;
    }
    return this.cached.session;
  }

  private async newSession(): Promise<OidcSession> {
    const ctx = await this.context();
    const { OidcSession } = await import('../auth/session.js');
    const credentials = await this.credentials();
    const stored = credentials.service(ctx.name, 'keycloak');
    // A stored confidential client (`cdm auth set-credential keycloak`, or written by `cdm stack up`)
    // logs in by itself with client credentials, so scripts need no explicit login step.
    const autoLogin = stored?.username === undefined ? undefined : async () => {
      const { login } = await import('../auth/login.js');
      const { resolveSecret } = await import('../config/secret-ref.js');
      return login(this, { grant: 'client_credentials', clientId: stored.username!, clientSecret: await resolveSecret(stored.secret, this.io.env), storeSecretAs: stored.secret }, this.sleep);
    };
    return new OidcSession(await this.http(), credentials, ctx.name, this.io.env, this.clock, autoLogin);
  }

  http(): Promise<HttpClient> {
    return (this.cached.http ??= this.buildHttp());
  }

  /** Releases sockets so the process can exit promptly. */
  async close(): Promise<void> {
    if (this.cached.http) await (await this.cached.http).close();
  }

  private async loadContext(): Promise<NamedContext> {
    const store = await this.contexts();
    const name = this.settings.contextName ?? store.current;
    if (name === undefined) {
      throw new UsageError('no context selected', { hint: 'run `cdm stack up` for a local sandbox, or `cdm context add` then `cdm context use <name>`' });
    }
    const ctx = store.get(name);
    const defaults: { output?: string; timeout?: string; caFile?: string } = { ...ctx.defaults };
    if (ctx.caFile !== undefined) defaults.caFile = ctx.caFile;
    this.cached.settings = resolveSettings(this.flags, this.io.env, defaults);
    // The context may set a default output format: render with the resolved settings.
    delete this.cached.output;
    if (this.cached.settings.insecure && ctx.production) {
      throw new UsageError(`--insecure is refused on context "${ctx.name}" because it is marked production`);
    }
    return ctx;
  }

  /** The context's mTLS certificate, read when HTTP is first needed (a bad path is exit 2). */
  private async clientCert(): Promise<{ cert: string; key: string } | undefined> {
    const name = await this.contextName().catch(() => undefined);
    if (name === undefined) return undefined;
    const ctx = await this.context().catch(() => undefined);
    if (!ctx?.clientCert) return undefined;
    const { readFile } = await import('node:fs/promises');
    try {
      return { cert: await readFile(ctx.clientCert.certFile, 'utf8'), key: await readFile(ctx.clientCert.keyFile, 'utf8') };
    } catch (err) {
      throw new UsageError(`context "${ctx.name}": cannot read its client certificate: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }

  private async buildHttp(): Promise<HttpClient> {
    const s = this.settings;
    const clientCert = await this.clientCert();
    const { createHttpClient } = await import('../http/client.js');
    const out = this.output();
    return createHttpClient({
      rateLimit: { requestsPerSecond: resolveRateLimit(this.io.env, (await this.context().catch(() => undefined))?.defaults?.rateLimit) },
      ...(s.caFile !== undefined ? { caFile: s.caFile } : {}),
      insecure: s.insecure,
      ...(clientCert ? { clientCert } : {}),
      signal: this.signal,
      env: this.io.env,
      warn: (line) => out.warn(line),
      ...(s.verbose ? { trace: (line: string) => this.io.stderr.write(`${line}\n`) } : {}),
    });
  }
}
