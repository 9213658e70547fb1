import type { ReadVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { AUDIT_FORMATS } from '../../src/workflows/audit/render.js';
import { auditOptions, FILTER_FLAGS } from './options.js';

export const exportVerb: ReadVerb = {
  name: 'export',
  summary: 'One time-ordered audit timeline from Keycloak, ThingsBoard, hawkBit, step-ca, the bridge and cdm\'s journal',
  description: 'Merges the audit trails of the context\'s stack into one timeline, oldest first, with one schema: '
    + 'time, source, tenant, actor, action, target, outcome, details. Sources: keycloak (login and admin events of the '
    + 'context\'s realm), thingsboard (audit logs), hawkbit (action history), step-ca (issuance, renewal, revocation from '
    + 'its log file), bridge (GET /audit), cdm (this machine\'s journal of cdm commands). Every source is paged and the '
    + 'pages are merged as they arrive, so memory stays flat. Output: ndjson (default), csv (RFC 4180, header row: '
    + '`--format csv`), json, table. A source that cannot be read is named on stderr and the export goes on with the '
    + 'others (exit 6).',
  flags: [
    ...FILTER_FLAGS,
    { flags: '--format <fmt>', description: 'ndjson (default), csv, table, wide, json, yaml; overrides -o (which has no csv)', choices: AUDIT_FORMATS },
  ],
  examples: [
    { command: 'cdm audit export --since 24h > audit.ndjson', description: 'the last day, every source' },
    { command: 'cdm audit export --since 2026-11-01 --until 2026-12-01 --format csv > november.csv', description: 'a month for the auditors, as CSV' },
    { command: 'cdm audit export --source step-ca,bridge --device sensor-0042 --format table', description: 'one device\'s certificates and enrollments' },
    { command: 'cdm audit export --source step-ca --step-ca-log step-ca.log', description: 'a real CA: docker logs provider-step-ca > step-ca.log first' },
    { command: 'cdm audit export --contexts local-provider,local-acme --since 7d', description: 'provider and tenant stacks in one timeline' },
  ],
  mutates: false,
  async run(ctx) {
    const { openSources, runMerge, reportFailures } = await import('../../src/workflows/audit/export.js');
    const { auditFormat, writeTimeline } = await import('../../src/workflows/audit/render.js');
    const f = ctx.f;
    const opts = auditOptions(ctx.flags);
    if (opts.since !== undefined && opts.until !== undefined && opts.since > opts.until) throw new UsageError('--since is after --until');
    const { streams, skipped, close } = await openSources(f, opts);
    try {
      for (const s of skipped) f.output().note(`audit: source ${s.source} left out: ${s.reason}`);
      const format = auditFormat(f, ctx.flags.format as string | undefined);
      const run = runMerge(streams, opts);
      await writeTimeline(f, format, run.batches);
      reportFailures(f, run.failures, streams.length);
    } finally {
      await close();
    }
  },
};
