// cdm's own audit journal: one NDJSON line per mutating command that ran (not for --dry-run),
// with who, which context, what, on which targets, the outcome and a correlation id.
// `cdm audit --source cdm` reads it; multi-step workflows add their step records beside it.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export interface JournalEntry {
  time: string;
  correlationId: string;
  actor: string;
  context?: string;
  command: string;
  targets: string[];
  /** The operator's --reason, for the verbs that take one (isolate, revoke, reject). */
  reason?: string;
  outcome: 'success' | 'failure' | 'interrupted';
  exitCode: number;
  error?: string;
}

export function journalFile(stateDir: string): string {
  return join(stateDir, 'journal.ndjson');
}

export function newCorrelationId(): string {
  return randomUUID();
}

export function localActor(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'unknown';
  }
}

/** Appends one entry; a journal that cannot be written must not turn a success into a failure. */
export function appendJournal(stateDir: string, entry: JournalEntry, warn: (line: string) => void): void {
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    appendFileSync(journalFile(stateDir), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  } catch (err) {
    warn(`warning: could not write the cdm journal in ${stateDir}: ${(err as Error).message}`);
  }
}
