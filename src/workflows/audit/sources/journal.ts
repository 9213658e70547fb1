// Source `cdm`: the CLI's own journal (<stateDir>/journal.ndjson), one line per mutating command.
import type { JournalEntry } from '../../../core/journal.js';
import { timed, type AuditQuery, type Timed } from '../event.js';
import { fileLines } from './lines.js';

/** The tenant of a journal entry: that of the context it ran against, when that context is known here. */
export type TenantOf = (context: string | undefined) => string | null;

export function journalEvent(entry: JournalEntry, tenantOf: TenantOf = () => null): Timed | undefined {
  const ms = Date.parse(entry.time);
  if (Number.isNaN(ms)) return undefined;
  const details: Record<string, unknown> = { correlationId: entry.correlationId, exitCode: entry.exitCode };
  if (entry.context !== undefined) details['context'] = entry.context;
  if (entry.targets.length > 1) details['targets'] = entry.targets;
  if (entry.reason !== undefined) details['reason'] = entry.reason;
  if (entry.error !== undefined) details['error'] = entry.error;
  return timed(ms, {
    source: 'cdm', tenant: tenantOf(entry.context), actor: entry.actor, action: entry.command,
    target: entry.targets[0] ?? '', outcome: entry.outcome, details,
  }, entry.time);
}

export async function* journalPages(file: string, q: AuditQuery, signal?: AbortSignal, tenantOf?: TenantOf): AsyncGenerator<Timed[]> {
  for await (const lines of fileLines(file, signal)) {
    const page: Timed[] = [];
    let past = false;
    for (const line of lines) {
      if (line.trim() === '') continue;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        continue; // a torn last line of a crashed writer
      }
      const t = journalEvent(entry, tenantOf);
      if (!t || (q.since !== undefined && t.ms < q.since)) continue;
      if (q.until !== undefined && t.ms > q.until) {
        past = true;
        break;
      }
      page.push(t);
    }
    yield page;
    if (past) return;
  }
}
