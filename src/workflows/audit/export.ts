// `cdm audit export|tail`: opens the requested sources of the active context as time-ordered page
// streams, merges them (merge.ts), filters and writes the timeline. Sources that cannot be read
// are reported, never fatal to the others (exit 6 at the end, naming them).
import { join } from 'node:path';
import type { NamedContext } from '../../config/context-spec.js';
import { AuthError, CdmError, errorBody, PartialFailure, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { journalFile } from '../../core/journal.js';
import type { HttpClient } from '../../http/types.js';
import { AUDIT_SOURCES, eventFilter, type AuditQuery, type AuditSource, type EventFilter, type Timed } from './event.js';
import { mergeSources, type SourceFailure, type SourceStream } from './merge.js';
import { bridgePages } from './sources/bridge.js';
import { hawkbitDevicePages, hawkbitPages } from './sources/hawkbit.js';
import { journalPages } from './sources/journal.js';
import { keycloakAdminPages, keycloakLoginPages } from './sources/keycloak.js';
import { stepcaLogPages } from './sources/stepca-log.js';
import { thingsboardPages } from './sources/thingsboard.js';
import { count } from '../../core/plural.js';

export interface AuditOptions extends EventFilter {
  /** Sources named with --source; undefined means every source the context has. */
  sources?: AuditSource[];
  stepcaLog?: string;
  /** --contexts: merge the stacks of these contexts (`all`: every context) instead of the active one. */
  contexts?: string[];
}

export interface OpenedSources {
  streams: SourceStream[];
  /** Sources left out because the context does not have them (only when --source was not given). */
  skipped: Array<{ source: AuditSource; reason: string }>;
  /** Releases the connections of the extra contexts' factories. */
  close(): Promise<void>;
}

/** Where the sandbox's step-ca writes its request log for this context's stack. */
export function sandboxStepcaLog(ctx: NamedContext): string | undefined {
  if (!ctx.sandbox) return undefined;
  return ctx.type === 'provider' || ctx.tenant === undefined
    ? join(ctx.sandbox.stateDir, 'provider', 'step-ca', 'step-ca.log')
    : join(ctx.sandbox.stateDir, 'tenants', ctx.tenant, 'step-ca', 'step-ca.log');
}

async function keycloakBase(http: HttpClient, url: string, realm: string): Promise<string> {
  const { discoverRealm } = await import('../../auth/discovery.js');
  const endpoints = await discoverRealm(http, url, realm);
  const suffix = `/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`;
  const path = new URL(endpoints.token_endpoint).pathname;
  return `${new URL(url).origin}${path.endsWith(suffix) ? path.slice(0, -suffix.length) : ''}`;
}

async function serviceCredential(f: Factory, ctx: NamedContext, service: 'thingsboard' | 'hawkbit'): Promise<{ username: string; password: string }> {
  const stored = (await f.credentials()).service(ctx.name, service);
  if (!stored?.username) {
    throw new AuthError(`no ${service} credential for context "${ctx.name}"`, { service, hint: `printf %s "$PASSWORD" | cdm auth set-credential ${service} --username <user>` });
  }
  const { resolveSecret } = await import('../../config/secret-ref.js');
  return { username: stored.username, password: await resolveSecret(stored.secret, f.io.env) };
}

/** Wraps a lazily started page stream, so the setup of one source (login, discovery) fails only it. */
async function* lazy(open: () => Promise<AsyncIterable<Timed[]>>): AsyncGenerator<Timed[]> {
  yield* await open();
}

/** Keycloak login events and admin events as one ascending stream (merged, they are one source). */
async function* keycloakPages(f: Factory, ctx: NamedContext, q: AuditQuery): AsyncGenerator<Timed[]> {
  const http = await f.http();
  const session = await f.session();
  const kc = ctx.keycloak!;
  const target = { http, baseUrl: await keycloakBase(http, kc.url, kc.realm), realm: kc.realm, token: () => session.accessToken(), tenant: ctx.tenant ?? null };
  const failures: SourceFailure[] = [];
  for await (const batch of mergeSources([{ name: 'keycloak', pages: keycloakLoginPages(target, q) }, { name: 'keycloak', pages: keycloakAdminPages(target, q) }], (x) => failures.push(x))) {
    yield batch;
  }
  if (failures.length > 0) throw failures[0]!.error;
}

/**
 * The sources of the active context, or with --contexts of each named context (each through its own
 * factory: its endpoints, CA bundle, credentials and session). cdm's journal is local: read once.
 */
export async function openSources(f: Factory, opts: AuditOptions): Promise<OpenedSources> {
  if (opts.contexts === undefined) return { ...(await openContextSources(f, opts, true)), close: async () => undefined };
  const store = await f.contexts();
  const names = opts.contexts.includes('all') ? store.list().map((c) => c.name) : opts.contexts;
  if (names.length === 0) throw new UsageError('--contexts all: no context is configured', { hint: 'cdm stack up, or cdm context add' });
  for (const name of names) store.get(name); // an unknown name is exit 2 before anything is sent
  const { Factory: FactoryClass } = await import('../../core/factory.js');
  const s = f.settings;
  const children: Factory[] = [];
  const streams: SourceStream[] = [];
  const skipped: OpenedSources['skipped'] = [];
  for (const [i, name] of names.entries()) {
    const child = new FactoryClass({ io: f.io, signal: f.signal, clock: f.clock, sleep: f.sleep, flags: { context: name, quiet: s.quiet, verbose: s.verbose, insecure: s.insecure, input: false } });
    children.push(child);
    const opened = await openContextSources(child, opts, i === 0);
    streams.push(...opened.streams.map((x) => ({ ...x, label: x.name === 'cdm' ? 'cdm' : `${x.name} (${name})` })));
    skipped.push(...opened.skipped.map((x) => ({ ...x, reason: `${name}: ${x.reason}` })));
  }
  return { streams, skipped, close: async () => { await Promise.all(children.map((c) => c.close().catch(() => undefined))); } };
}

async function openContextSources(f: Factory, opts: AuditOptions, withJournal: boolean): Promise<Omit<OpenedSources, 'close'>> {
  const explicit = opts.sources !== undefined;
  const wanted = (opts.sources ?? [...AUDIT_SOURCES]).filter((x) => withJournal || x !== 'cdm');
  const q: AuditQuery = { ...(opts.since !== undefined ? { since: opts.since } : {}), ...(opts.until !== undefined ? { until: opts.until } : {}) };
  const needsContext = opts.contexts !== undefined || wanted.some((s) => s !== 'cdm' && !(s === 'step-ca' && opts.stepcaLog !== undefined));
  let ctx: NamedContext | undefined;
  if (needsContext) {
    if (explicit) ctx = await f.context();
    else if ((await f.contextName()) !== undefined) ctx = await f.context();
  }
  const streams: SourceStream[] = [];
  const skipped: OpenedSources['skipped'] = [];
  const tenant = ctx?.tenant ?? null;
  const missing = (source: AuditSource, reason: string, hint: string): void => {
    if (explicit) throw new UsageError(`--source ${source}: ${reason}`, { hint });
    skipped.push({ source, reason });
  };
  for (const source of wanted) {
    switch (source) {
      case 'cdm': {
        const tenants = new Map((await f.contexts()).list().map((c) => [c.name, c.tenant ?? null]));
        streams.push({ name: 'cdm', pages: journalPages(journalFile(f.paths.stateDir), q, f.signal, (name) => (name === undefined ? null : tenants.get(name) ?? null)) });
        break;
      }
      case 'step-ca': {
        const file = opts.stepcaLog ?? (ctx ? sandboxStepcaLog(ctx) : undefined);
        if (file === undefined) {
          missing('step-ca', ctx ? `context "${ctx.name}" is not a sandbox and step-ca has no audit API` : 'no context selected',
            'save the CA\'s log and pass it: docker logs provider-step-ca > step-ca.log; cdm audit export --step-ca-log step-ca.log');
          break;
        }
        streams.push({ name: 'step-ca', pages: stepcaLogPages(file, tenant, q, f.signal) });
        break;
      }
      case 'keycloak':
        if (!ctx?.keycloak?.url) { missing('keycloak', ctx ? `context "${ctx.name}" has no Keycloak URL` : 'no context selected', 'cdm context use <name>'); break; }
        streams.push({ name: 'keycloak', pages: keycloakPages(f, ctx, q) });
        break;
      case 'bridge': {
        const c = ctx;
        if (!c?.bridge?.url) { missing('bridge', c ? `context "${c.name}" has no bridge URL` : 'no context selected', 'cdm context use <name>'); break; }
        streams.push({ name: 'bridge', pages: lazy(async () => { const session = await f.session(); return bridgePages(await f.http(), c.bridge!.url, () => session.accessToken(), tenant, q); }) });
        break;
      }
      case 'thingsboard': {
        const c = ctx;
        if (!c?.thingsboard?.url) { missing('thingsboard', c ? `context "${c.name}" has no ThingsBoard URL (ThingsBoard runs in tenant stacks)` : 'no context selected', 'use a tenant context: --context local-<tenant>'); break; }
        streams.push({ name: 'thingsboard', pages: lazy(async () => thingsboardPages(await f.http(), c.thingsboard!.url, await serviceCredential(f, c, 'thingsboard'), tenant, q)) });
        break;
      }
      case 'hawkbit': {
        const c = ctx;
        if (!c?.hawkbit?.url) { missing('hawkbit', c ? `context "${c.name}" has no hawkBit URL (hawkBit runs in tenant stacks)` : 'no context selected', 'use a tenant context: --context local-<tenant>'); break; }
        const device = opts.device;
        streams.push({
          name: 'hawkbit',
          pages: lazy(async () => (device === undefined
            ? hawkbitPages(await f.http(), c.hawkbit!.url, await serviceCredential(f, c, 'hawkbit'), tenant, q)
            : hawkbitDevicePages(await f.http(), c.hawkbit!.url, await serviceCredential(f, c, 'hawkbit'), device, tenant, q))),
        });
        break;
      }
    }
  }
  return { streams, skipped };
}

export interface AuditRun {
  /** The merged, filtered timeline in batches. */
  batches: AsyncGenerator<Timed[]>;
  failures: SourceFailure[];
}

/** `keep`: a filter made once and passed to each poll of a follow, so a device's serials learnt earlier still count. */
export function runMerge(streams: readonly SourceStream[], filter: EventFilter, keep: (t: Timed) => boolean = eventFilter(filter)): AuditRun {
  const failures: SourceFailure[] = [];
  async function* batches(): AsyncGenerator<Timed[]> {
    for await (const batch of mergeSources(streams, (x) => failures.push(x))) {
      const kept = batch.filter(keep);
      if (kept.length > 0) yield kept;
    }
  }
  return { batches: batches(), failures };
}

/** After the timeline is written: each failed source on stderr, then exit 6 (1 when every source failed). */
export function reportFailures(f: Factory, failures: readonly SourceFailure[], total: number): void {
  if (failures.length === 0) return;
  const names = failures.map((x) => x.label ?? x.source);
  for (const x of failures) {
    const body = errorBody(x.error);
    f.output().warn(`audit: source ${x.label ?? x.source} failed: ${body.message}${body.hint ? ` (${body.hint})` : ''}`);
  }
  const message = `${failures.length} of ${count(total, 'audit source')} failed: ${[...new Set(names)].join(', ')}; the timeline holds the others`;
  if (failures.length >= total) throw new CdmError(`every audit source failed: ${[...new Set(names)].join(', ')}`);
  throw new PartialFailure(message);
}
