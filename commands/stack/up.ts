import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import type { View } from '../../src/core/output.js';
import { parseDuration } from '../../src/core/parse.js';
import { stacksToStart } from './compose-stacks.js';
import { engine, engineFlag, parseLatency, parsePortBase, stateDir, stateDirFlag, tenants, WHICH, DEFAULT_PORT_BASE, parseFraction } from './options.js';

interface ServiceRow { stack: string; service: string; url: string; context: string }

interface ComposeRow { stack: string; project: string; context: string; keycloak: string; stepca: string; changed: number }

const COMPOSE_VIEW: View<ComposeRow> = [
  { header: 'STACK', value: (r) => r.stack },
  { header: 'PROJECT', value: (r) => r.project },
  { header: 'CONTEXT', value: (r) => r.context },
  { header: 'KEYCLOAK', value: (r) => r.keycloak },
  { header: 'STEP-CA', value: (r) => r.stepca, wide: true },
  { header: 'CHANGED', value: (r) => r.changed, wide: true },
];

const DEFAULT_HEALTH_TIMEOUT = '10m';

async function composeUpRun(ctx: CommandContext): Promise<number> {
  const { composeUp } = await import('../../src/stack/up.js');
  const { dockerRunner } = await import('../../src/stack/docker.js');
  const out = ctx.f.output();
  const results = await composeUp(
    { stateDir: stateDir(ctx), stacks: stacksToStart(ctx), healthTimeoutMs: (ctx.flags.healthTimeout as number | undefined) ?? parseDuration(DEFAULT_HEALTH_TIMEOUT) },
    {
      docker: dockerRunner(ctx.f.io.env, ctx.f.signal), progress: ctx.f.progress(), note: (l) => out.note(l), sleep: ctx.f.sleep, now: ctx.f.clock,
      signal: ctx.f.signal, env: ctx.f.io.env, contexts: await ctx.f.contexts(), credentials: await ctx.f.credentials(),
    },
  );
  await out.list('ComposeStack', results.map((r) => ({
    stack: r.stack, project: r.project, context: r.context, keycloak: r.urls.keycloak, stepca: r.urls.stepca,
    changed: r.actions.filter((a) => a.outcome === 'created' || a.outcome === 'updated').length, actions: r.actions,
  })), COMPOSE_VIEW);
  out.note(`Contexts: ${results.map((r) => r.context).join(', ')}. Stop with \`cdm stack down --engine compose\`.`);
  return 0;
}

const VIEW: View<ServiceRow> = [
  { header: 'STACK', value: (r) => r.stack },
  { header: 'SERVICE', value: (r) => r.service },
  { header: 'URL', value: (r) => r.url },
  { header: 'CONTEXT', value: (r) => r.context },
];

async function options(ctx: CommandContext) {
  const which = (ctx.args.which as string | undefined) ?? 'all';
  const faults = {
    ...(ctx.flags.latency !== undefined ? { latencyMs: ctx.flags.latency as number } : {}),
    ...(ctx.flags.errorRate !== undefined ? { errorRate: ctx.flags.errorRate as number } : {}),
    ...(ctx.flags.faultSeed !== undefined ? { seed: ctx.flags.faultSeed as number } : {}),
  };
  return {
    stateDir: stateDir(ctx),
    provider: which !== 'tenant',
    tenants: which === 'provider' ? [] : tenants(ctx),
    portBase: (ctx.flags.portBase as number | undefined) ?? DEFAULT_PORT_BASE,
    ...(Object.keys(faults).length > 0 ? { faults } : {}),
  };
}

export const up: MutatingVerb = {
  name: 'up',
  summary: 'Start the embedded sandbox (every service emulated on loopback) and write its contexts',
  description: 'Start the embedded sandbox: Keycloak, step-ca and RabbitMQ of the provider stack; Keycloak, step-ca, hawkBit and ThingsBoard of each tenant stack; emulated in one Node process on 127.0.0.1 and persistent in the state dir. Writes the contexts local-provider and local-<tenant> with working credentials. Runs in the foreground until Ctrl-C, or in the background with --detach.',
  args: [{ name: 'which', description: 'provider, tenant or all (default all)', choices: WHICH }],
  flags: [
    { flags: '--tenant <id...>', description: 'tenant stack(s) to run (default acme)' },
    engineFlag,
    { flags: '--detach', description: 'run in the background (stop with `cdm stack down`); compose stacks always run detached' },
    stateDirFlag,
    { flags: '--port-base <n>', description: `first port (default ${DEFAULT_PORT_BASE}); provider base+0…, tenant i base+10·(i+1)…`, parse: parsePortBase },
    { flags: '--latency <ms>', description: 'fault injection: delay every response to a client (calls between the services of a stack stay undelayed, as on its own network)', parse: parseLatency },
    { flags: '--error-rate <0..1>', description: 'fault injection: share of client requests answered with 5xx, 429 or a dropped connection', parse: (v) => parseFraction(v, 'error rate') },
    { flags: '--fault-seed <n>', description: 'fault injection: seed, for a repeatable sequence', parse: (v) => Number(parseLatency(v)) },
    { flags: '--health-timeout <dur>', description: `compose: how long to wait for every health check (default ${DEFAULT_HEALTH_TIMEOUT})`, parse: (v) => parseDuration(v, '--health-timeout') },
  ],
  examples: [
    { command: 'cdm stack up --detach', description: 'provider + tenant acme in the background' },
    { command: 'cdm stack up all --tenant acme --tenant globex --detach', description: 'two tenant stacks' },
    { command: 'cdm stack up --detach --latency 20 --error-rate 0.05 --fault-seed 7', description: 'test a script against a slow, flaky backend' },
    { command: 'cdm stack up --engine compose provider', description: 'the real provider containers, bootstrapped, context compose-provider' },
    { command: 'cdm stack up --engine compose tenant --tenant acme', description: 'a real tenant stack, context compose-acme' },
  ],
  mutates: true,
  auditTarget: (ctx) => stateDir(ctx),
  async plan(ctx) {
    if (engine(ctx) === 'compose') {
      const { projectName, stackFiles, contextName } = await import('../../src/stack/layout.js');
      const dir = stateDir(ctx);
      return {
        summary: `start the compose stacks in ${dir}`,
        steps: stacksToStart(ctx).flatMap((s) => [
          { action: 'write', target: stackFiles.env(dir, s), details: { mode: '0600', when: 'absent values only' } },
          { action: 'docker compose up -d', target: projectName(s) },
          { action: 'wait', target: `${projectName(s)} health checks` },
          { action: 'bootstrap', target: s.kind === 'provider' ? 'keycloak realm cdm, step-ca provisioners, rabbitmq vhost' : `keycloak realm ${s.tenant}, step-ca provisioners, hawkbit types, thingsboard tenant and profile cdm-x509` },
          { action: 'write', target: `context ${contextName(s)}` },
        ]),
      };
    }
    const o = await options(ctx);
    const { endpoints } = await import('../../src/sandbox/stack/layout.js');
    return {
      summary: `start the sandbox in ${o.stateDir}`,
      steps: [
        ...endpoints(o).map((e) => ({ action: 'start', target: `${e.stack} ${e.service}`, details: { url: e.url } })),
        ...(o.provider ? [{ action: 'write', target: 'context local-provider' }] : []),
        ...o.tenants.map((t) => ({ action: 'write', target: `context local-${t}` })),
      ],
    };
  },
  async run(ctx) {
    if (engine(ctx) === 'compose') return composeUpRun(ctx);
    const o = await options(ctx);
    const { startDetached, startForeground } = await import('../../src/workflows/sandbox/start.js');
    const { writeSandboxContexts, LOCAL_PROVIDER } = await import('../../src/workflows/sandbox/contexts.js');
    const detach = ctx.flags.detach === true;
    const foreground = detach ? undefined : await startForeground(o);
    const started = foreground ?? (await startDetached(o));
    const written = writeSandboxContexts(started.info, started.secrets, await ctx.f.contexts(), await ctx.f.credentials());
    const contextOf = (stack: string): string => written.find((w) => w.stack === stack)?.name ?? '';
    const rows = started.info.services.map((s) => ({ stack: s.stack, service: s.service, url: s.url, context: contextOf(s.stack) }));
    const out = ctx.f.output();
    await out.list('SandboxService', rows, VIEW);
    out.note(`Sandbox ${detach ? `running in the background (pid ${started.info.pid})` : 'running'}; state in ${o.stateDir}.`);
    out.note(`Contexts: ${written.map((w) => w.name).join(', ')}. Try: cdm auth status --context ${written[0]?.name ?? LOCAL_PROVIDER}`);
    if (detach) return 0;
    out.note('Press Ctrl-C to stop.');
    // Foreground: serve until interrupted; the emulators close with the process.
    await new Promise<void>((resolve) => ctx.f.signal.addEventListener('abort', () => resolve(), { once: true }));
    await foreground!.close();
    return 0;
  },
};
