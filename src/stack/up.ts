// `cdm stack up --engine compose`: for each stack, make its env file (secrets at first run),
// `docker compose up -d`, wait for health with a progress bar, fetch the CA root, bootstrap
// through the API clients, and write the stack's context.
import { mkdirSync } from 'node:fs';
import type { ContextStore } from '../config/contexts.js';
import type { CredentialStore } from '../config/credentials.js';
import type { Progress } from '../core/progress.js';
import { createHttpClient } from '../http/client.js';
import { bootstrapStack } from './bootstrap/index.js';
import type { BootstrapAction } from './bootstrap/report.js';
import { ROOT_IN_CONTAINER, saveRoot } from './bootstrap/stepca.js';
import { stackUrls, type StackUrls } from './bootstrap/urls.js';
import { compose, ps } from './compose.js';
import { writeComposeContext } from './contexts.js';
import { checkDocker, type DockerRunner } from './docker.js';
import { ensureEnvFile } from './env-file.js';
import { waitHealthy } from './health.js';
import { contextName, knownStacks, projectName, stackDir, stackFiles, stackName, type StackRef } from './layout.js';
import { composeServices } from './services.js';
import { count } from '../core/plural.js';

export interface ComposeUpOptions {
  stateDir: string;
  stacks: StackRef[];
  healthTimeoutMs: number;
}

export interface ComposeUpDeps {
  docker: DockerRunner;
  progress: Progress;
  note: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  contexts: ContextStore;
  credentials: CredentialStore;
}

export interface StackUpResult {
  stack: string;
  project: string;
  context: string;
  urls: StackUrls;
  actions: BootstrapAction[];
}

/** Tenants take the lowest free slot (ports shift by it) at their first `up`, then keep their env file. */
function portShift(stateDir: string, s: StackRef): number {
  if (s.kind === 'provider') return 0;
  const others = knownStacks(stateDir).filter((k) => k.kind === 'tenant' && k.tenant !== s.tenant);
  return others.length;
}

export async function composeUp(o: ComposeUpOptions, d: ComposeUpDeps): Promise<StackUpResult[]> {
  await checkDocker(d.docker);
  const results: StackUpResult[] = [];
  for (const s of o.stacks) {
    const shift = portShift(o.stateDir, s);
    mkdirSync(stackDir(o.stateDir, s), { recursive: true, mode: 0o700 });
    const { values: env, added } = ensureEnvFile(stackFiles.env(o.stateDir, s), {
      kind: s.kind, portShift: shift, ...(s.tenant ? { fixed: { TENANT_ID: s.tenant } } : {}),
    });
    if (added.length > 0) d.note(`${projectName(s)}: wrote ${stackFiles.env(o.stateDir, s)} (0600) with ${count(added.length, 'value')}, secrets generated.`);
    await compose(d.docker, o.stateDir, s, ['up', '-d', '--remove-orphans'], 'up');

    const services = await composeServices(s.kind);
    const bar = d.progress.bar(`${projectName(s)} healthy`, services.length);
    await waitHealthy({
      project: projectName(s), services, poll: () => ps(d.docker, o.stateDir, s),
      sleep: d.sleep, now: d.now, timeoutMs: o.healthTimeoutMs, bar,
    });
    bar.done(`${projectName(s)}: ${count(services.length, 'service')} healthy`);

    const rootPem = await compose(d.docker, o.stateDir, s, ['exec', '-T', 'step-ca', 'cat', ROOT_IN_CONTAINER], 'exec step-ca');
    const fingerprint = saveRoot(rootPem, stackFiles.rootCa(o.stateDir, s));
    const urls = stackUrls(s.kind, env);
    const http = createHttpClient({ signal: d.signal, env: d.env, maxRetries: 2 });
    const stepcaHttp = createHttpClient({ ca: rootPem, signal: d.signal, env: d.env, maxRetries: 2 });
    let actions: BootstrapAction[];
    try {
      actions = await bootstrapStack(s, env, urls, { http, stepcaHttp });
    } finally {
      await Promise.all([http.close(), stepcaHttp.close()]);
    }
    const context = writeComposeContext({ stack: s, stateDir: o.stateDir, env, urls, rootCaFile: stackFiles.rootCa(o.stateDir, s), fingerprint }, d.contexts, d.credentials);
    const changed = actions.filter((a) => a.outcome === 'created' || a.outcome === 'updated').length;
    d.note(`${projectName(s)}: bootstrap ${changed === 0 ? 'found everything in place' : `changed ${count(changed, 'object')}`}; context ${contextName(s)}.`);
    results.push({ stack: stackName(s), project: projectName(s), context, urls, actions });
  }
  return results;
}
