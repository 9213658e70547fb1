// Flags shared by the audit verbs; their parsers run before anything is sent (bad input is exit 2).
import type { FlagSpec } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { AUDIT_SOURCES, parseSources, parseTimeBound } from '../../src/workflows/audit/event.js';
import type { AuditOptions } from '../../src/workflows/audit/export.js';

export const sourceFlag: FlagSpec = {
  flags: '--source <list>',
  description: `comma-separated sources: ${AUDIT_SOURCES.join(', ')} (default: every source the context has)`,
  parse: parseSources,
  complete: AUDIT_SOURCES,
};

export const FILTER_FLAGS: readonly FlagSpec[] = [
  { flags: '--since <time|dur>', description: 'from this time: RFC 3339 (2026-11-22T03:00:00Z), a date, or a duration back from now (24h, 7d)', parse: (v) => parseTimeBound(v, '--since', Date.now()) },
  { flags: '--until <time|dur>', description: 'up to this time (same forms as --since)', parse: (v) => parseTimeBound(v, '--until', Date.now()) },
  sourceFlag,
  { flags: '--actor <name>', description: 'only events of this actor (user name, client, provisioner; case-insensitive)' },
  { flags: '--device <id>', description: 'only events whose target is this device (certificate subject, target, entity name), and the later events about the certificate serials those name (a revocation)' },
  { flags: '--tenant <id>', description: 'only events of this tenant stack' },
  { flags: '--contexts <list>', description: 'merge the stacks of these contexts (comma-separated; `all`: every context) instead of the active one', parse: parseContexts, complete: 'contexts' },
  { flags: '--step-ca-log <file>', description: 'step-ca\'s log to read issuance and revocation from (default: the sandbox\'s; e.g. docker logs provider-step-ca > file)', complete: 'files' },
];

function parseContexts(v: string): string[] {
  const names = [...new Set(v.split(',').map((x) => x.trim()).filter((x) => x !== ''))];
  if (names.length === 0) throw new UsageError('--contexts names no context');
  return names;
}

export function auditOptions(flags: Record<string, unknown>): AuditOptions {
  const opts: AuditOptions = {};
  const set = <K extends keyof AuditOptions>(k: K, v: unknown): void => { if (v !== undefined) opts[k] = v as AuditOptions[K]; };
  set('since', flags.since);
  set('until', flags.until);
  set('sources', flags.source);
  set('actor', flags.actor);
  set('device', flags.device);
  set('tenant', flags.tenant);
  set('stepcaLog', flags.stepCaLog);
  set('contexts', flags.contexts);
  return opts;
}
