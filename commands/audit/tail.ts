import type { ReadVerb } from '../../src/core/command-spec.js';
import { parseInterval, parsePositiveInt } from '../../src/core/parse.js';
import { AUDIT_FORMATS } from '../../src/workflows/audit/render.js';
import { auditOptions, FILTER_FLAGS } from './options.js';

export const tail: ReadVerb = {
  name: 'tail',
  summary: 'The latest audit events of every source; --follow keeps printing new ones',
  description: 'Prints the last n events (default 20) of the merged timeline (same sources and filters as `cdm audit export`), '
    + 'oldest first. With --follow it asks every source again each --interval (default 5s) for what is newer and prints it, '
    + 'until Ctrl-C. A source that cannot be read is named on stderr; without --follow that is exit 6.',
  flags: [
    ...FILTER_FLAGS,
    { flags: '-n, --lines <n>', description: 'how many of the latest events to print first (default 20)', parse: (v) => parsePositiveInt(v, 'line count') },
    { flags: '-f, --follow', description: 'keep printing new events' },
    { flags: '--interval <dur>', description: 'with --follow: how often to ask the sources (default 5s)', parse: parseInterval },
    { flags: '--format <fmt>', description: 'ndjson (default), csv, table, wide, json, yaml', choices: AUDIT_FORMATS },
  ],
  examples: [
    { command: 'cdm audit tail', description: 'the last 20 events' },
    { command: 'cdm audit tail -f --source keycloak,bridge --format table', description: 'watch logins and enrollments' },
  ],
  mutates: false,
  async run(ctx) {
    const { tailAudit } = await import('../../src/workflows/audit/tail.js');
    const f = ctx.f;
    await tailAudit(f, auditOptions(ctx.flags), {
      lines: (ctx.flags.lines as number | undefined) ?? 20,
      follow: ctx.flags.follow === true,
      intervalMs: (ctx.flags.interval as number | undefined) ?? 5000,
      format: ctx.flags.format as string | undefined,
    });
  },
};
