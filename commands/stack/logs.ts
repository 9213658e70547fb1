import type { ReadVerb } from '../../src/core/command-spec.js';
import { NotFoundError, UsageError } from '../../src/core/errors.js';
import { parsePositiveInt } from '../../src/core/parse.js';
import { existingStacks } from './compose-stacks.js';
import { engine, engineFlag, stateDir, stateDirFlag, WHICH } from './options.js';

export const logs: ReadVerb = {
  name: 'logs',
  summary: 'Show the sandbox request log, or the containers\' logs with --engine compose',
  args: [{ name: 'which', description: 'provider, tenant or all (default all)', choices: WHICH }],
  flags: [
    stateDirFlag,
    engineFlag,
    { flags: '--tenant <id...>', description: 'compose: only these tenant stacks' },
    { flags: '-n, --lines <n>', description: 'last n lines (default 50)', parse: (v) => parsePositiveInt(v, 'line count') },
    { flags: '-f, --follow', description: 'keep printing new lines until Ctrl-C' },
    { flags: '--service <name>', description: 'only this service', choices: ['keycloak', 'step-ca', 'rabbitmq', 'hawkbit', 'thingsboard', 'bridge'] },
  ],
  examples: [
    { command: 'cdm stack logs -n 20', description: 'the last 20 requests (calls between the services of a stack end in "internal")' },
    { command: 'cdm stack logs tenant --service step-ca -f', description: 'follow step-ca of the tenant stacks' },
    { command: 'cdm stack logs --engine compose provider --service keycloak -n 100', description: 'the provider Keycloak container\'s log' },
  ],
  mutates: false,
  async run(ctx) {
    const service = ctx.flags.service as string | undefined;
    if (engine(ctx) === 'compose') {
      const { composeLogs } = await import('../../src/stack/lifecycle.js');
      const { dockerRunner } = await import('../../src/stack/docker.js');
      const out = ctx.f.output();
      // docker's output arrives in arbitrary chunks: pass on whole lines only.
      const pending: Promise<void>[] = [];
      let partial = '';
      await composeLogs(dockerRunner(ctx.f.io.env, ctx.f.signal), stateDir(ctx), await existingStacks(ctx), {
        lines: (ctx.flags.lines as number | undefined) ?? 50, follow: ctx.flags.follow === true, ...(service ? { service } : {}),
      }, (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) pending.push(out.raw(line));
      });
      if (partial !== '') pending.push(out.raw(partial));
      await Promise.all(pending);
      return;
    }
    if (service !== undefined && !['keycloak', 'step-ca', 'rabbitmq'].includes(service)) {
      throw new UsageError(`--service: the sandbox has keycloak, step-ca and rabbitmq (got "${service}")`);
    }
    const { files } = await import('../../src/sandbox/stack/layout.js');
    const { open, stat } = await import('node:fs/promises');
    const file = files.log(stateDir(ctx));
    const which = (ctx.args.which as string | undefined) ?? 'all';
    const keep = (line: string): boolean => {
      const [, stack, svc] = line.split(' ');
      if (stack === undefined || svc === undefined) return false; // daemon messages, not requests
      if (service !== undefined && svc !== service) return false;
      return which === 'all' || (which === 'provider') === (stack === 'provider');
    };
    let size: number;
    try { size = (await stat(file)).size; } catch { throw new NotFoundError(`no sandbox log in ${stateDir(ctx)}`, { hint: 'cdm stack up --detach' }); }
    const fh = await open(file, 'r');
    try {
      const text = (await fh.readFile('utf8'));
      const lines = text.split('\n').filter((l) => l !== '' && keep(l));
      const out = ctx.f.output();
      const n = (ctx.flags.lines as number | undefined) ?? 50;
      for (const line of lines.slice(-n)) await out.raw(line);
      if (!ctx.flags.follow) return;
      let offset = size;
      let partial = '';
      for (;;) {
        await ctx.f.sleep(300);
        const now = (await stat(file)).size;
        if (now <= offset) continue;
        const buf = Buffer.alloc(now - offset);
        await fh.read(buf, 0, buf.length, offset);
        offset = now;
        const chunk = partial + buf.toString('utf8');
        const parts = chunk.split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) if (keep(line)) await out.raw(line);
      }
    } finally {
      await fh.close();
    }
  },
};
