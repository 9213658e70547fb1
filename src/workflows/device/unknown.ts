// The error for a device that no service knows. When cdm itself removed it from this machine
// (`device isolate` or `device delete`, found in cdm's journal), the error says so: at 3 a.m. "known
// to none" alone leaves the operator wondering whether the id is misspelt or the device was taken
// out, and by whom.
import { NotFoundError } from '../../core/errors.js';
import { journalFile, type JournalEntry } from '../../core/journal.js';
import { fileLines } from '../audit/sources/lines.js';

const REMOVALS: Record<string, string> = { 'cdm device isolate': 'isolated', 'cdm device delete': 'deleted' };

export interface Removal { done: string; time: string; actor: string; reason?: string }

/** The last successful isolate or delete of the device on the context, from cdm's journal. */
export async function lastRemoval(stateDir: string, context: string, id: string): Promise<Removal | undefined> {
  const quoted = JSON.stringify(id);
  let found: Removal | undefined;
  for await (const lines of fileLines(journalFile(stateDir))) {
    for (const line of lines) {
      if (!line.includes(quoted)) continue; // most lines are about other things: skip the parse
      let e: JournalEntry;
      try { e = JSON.parse(line) as JournalEntry; } catch { continue; } // a torn last line
      const done = REMOVALS[e.command];
      if (done && e.outcome === 'success' && e.context === context && e.targets?.includes(id)) found = { done, time: e.time, actor: e.actor, ...(e.reason ? { reason: e.reason } : {}) };
    }
  }
  return found;
}

/** Exit 3; `services` names who was asked, e.g. "ThingsBoard, hawkBit and the bridge". */
export function unknownDevice(id: string, services: string, removal: Removal | undefined): NotFoundError {
  if (!removal) return new NotFoundError(`device "${id}" is known to none of ${services}`, { hint: '`cdm device list` shows the fleet' });
  return new NotFoundError(`device "${id}" is known to none of ${services}: cdm ${removal.done} it at ${removal.time} (by ${removal.actor}${removal.reason ? `, reason: ${removal.reason}` : ''})`, {
    hint: `what happened to it: cdm audit export --device ${id}`,
  });
}
