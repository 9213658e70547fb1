import type { ReadVerb } from '../../src/core/command-spec.js';
import { CdmError, NotFoundError } from '../../src/core/errors.js';
import type { View } from '../../src/core/output.js';
import type { ServiceStatus } from '../../src/workflows/sandbox/status.js';
import type { ComposeServiceStatus } from '../../src/stack/lifecycle.js';
import { existingStacks } from './compose-stacks.js';
import { engine, engineFlag, stateDir, stateDirFlag, WHICH } from './options.js';

const COMPOSE_VIEW: View<ComposeServiceStatus> = [
  { header: 'STACK', value: (s) => s.stack },
  { header: 'SERVICE', value: (s) => s.service },
  { header: 'STATE', value: (s) => s.state },
  { header: 'HEALTH', value: (s) => s.health },
  { header: 'PROJECT', value: (s) => s.project, wide: true },
];

const VIEW: View<ServiceStatus> = [
  { header: 'STACK', value: (s) => s.stack },
  { header: 'SERVICE', value: (s) => s.service },
  { header: 'URL', value: (s) => s.url },
  { header: 'STATE', value: (s) => s.state },
  { header: 'DETAIL', value: (s) => s.detail, wide: true },
];

export const status: ReadVerb = {
  name: 'status',
  summary: 'Show whether the sandbox runs and each service answers (exit 1 if not all up)',
  args: [{ name: 'which', description: 'provider, tenant or all (default all)', choices: WHICH }],
  flags: [stateDirFlag, engineFlag, { flags: '--tenant <id...>', description: 'compose: only these tenant stacks' }],
  examples: [
    { command: 'cdm stack status', description: 'one row per service' },
    { command: 'cdm stack status --engine compose', description: 'state and health of every container' },
    { command: 'cdm stack status -o json', description: 'for scripts' },
  ],
  mutates: false,
  async run(ctx) {
    const dir = stateDir(ctx);
    if (engine(ctx) === 'compose') {
      const { composeStatus } = await import('../../src/stack/lifecycle.js');
      const { dockerRunner } = await import('../../src/stack/docker.js');
      const rows = await composeStatus(dockerRunner(ctx.f.io.env, ctx.f.signal), dir, await existingStacks(ctx));
      await ctx.f.output().list('ComposeService', rows, COMPOSE_VIEW);
      const bad = rows.filter((r) => !r.ready);
      if (bad.length > 0) throw new CdmError(`${bad.length} service(s) not ready: ${bad.map((b) => `${b.stack} ${b.service}`).join(', ')}`);
      return;
    }
    const { sandboxStatus } = await import('../../src/workflows/sandbox/status.js');
    const { createHttpClient } = await import('../../src/http/client.js');
    const clients: Array<{ close(): Promise<void> }> = [];
    const result = await sandboxStatus(dir, async (caFile) => {
      const c = createHttpClient({ caFile, maxRetries: 0, connectTimeoutMs: 2000, readTimeoutMs: 3000, signal: ctx.f.signal });
      clients.push(c);
      return c;
    });
    await Promise.all(clients.map((c) => c.close()));
    if (!result.info) throw new NotFoundError(`no sandbox in ${dir}`, { hint: 'start one with `cdm stack up --detach`' });
    const which = ctx.args.which as string | undefined;
    const rows = result.services.filter((s) => which === undefined || which === 'all' || (which === 'provider') === (s.stack === 'provider'));
    await ctx.f.output().list('SandboxService', rows, VIEW);
    if (result.pid === undefined) throw new CdmError(`the sandbox in ${dir} is stopped`, { hint: 'cdm stack up --detach' });
    const down = rows.filter((r) => r.state !== 'up');
    if (down.length > 0) throw new CdmError(`${down.length} service(s) not answering: ${down.map((d) => `${d.stack} ${d.service}`).join(', ')}`);
    ctx.f.output().note(`Sandbox running (pid ${result.pid}).`);
  },
};
