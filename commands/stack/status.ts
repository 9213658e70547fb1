import type { ReadVerb } from '../../src/core/command-spec.js';
import { CdmError, NotFoundError } from '../../src/core/errors.js';
import type { View } from '../../src/core/output.js';
import type { ServiceStatus } from '../../src/workflows/sandbox/status.js';
import { stateDir, stateDirFlag, WHICH } from './options.js';

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
  flags: [stateDirFlag],
  examples: [
    { command: 'cdm stack status', description: 'one row per service' },
    { command: 'cdm stack status -o json', description: 'for scripts' },
  ],
  mutates: false,
  async run(ctx) {
    const dir = stateDir(ctx);
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
