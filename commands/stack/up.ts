import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import type { View } from '../../src/core/output.js';
import { parseLatency, parsePortBase, stateDir, stateDirFlag, tenants, WHICH, DEFAULT_PORT_BASE, parseFraction } from './options.js';

interface ServiceRow { stack: string; service: string; url: string; context: string }

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
    { flags: '--detach', description: 'run in the background (stop with `cdm stack down`)' },
    stateDirFlag,
    { flags: '--port-base <n>', description: `first port (default ${DEFAULT_PORT_BASE}); provider base+0…, tenant i base+10·(i+1)…`, parse: parsePortBase },
    { flags: '--latency <ms>', description: 'fault injection: delay every response', parse: parseLatency },
    { flags: '--error-rate <0..1>', description: 'fault injection: share of requests answered with 5xx, 429 or a dropped connection', parse: (v) => parseFraction(v, 'error rate') },
    { flags: '--fault-seed <n>', description: 'fault injection: seed, for a repeatable sequence', parse: (v) => Number(parseLatency(v)) },
  ],
  examples: [
    { command: 'cdm stack up --detach', description: 'provider + tenant acme in the background' },
    { command: 'cdm stack up all --tenant acme --tenant globex --detach', description: 'two tenant stacks' },
    { command: 'cdm stack up --detach --latency 20 --error-rate 0.05 --fault-seed 7', description: 'test a script against a slow, flaky backend' },
  ],
  mutates: true,
  async plan(ctx) {
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
