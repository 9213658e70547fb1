import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfigEnv } from '../helpers/run-cli.js';

describe("cdm's own journal", () => {
  it('records every mutating command with actor, context, targets, outcome and a correlation id; not dry-runs or reads', async () => {
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--use'], { env });
    await runCli(['context', 'add', 'q', '--kind', 'provider', '--dry-run'], { env });
    await runCli(['context', 'list'], { env });
    await runCli(['context', 'add', 'p', '--kind', 'provider'], { env }); // conflict → exit 5
    await runCli(['context', 'remove', 'p', '--yes'], { env });
    const file = join(env.CDM_STATE_DIR!, 'journal.ndjson');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const entries = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.map((e) => [e.command, e.outcome, e.exitCode])).toEqual([
      ['cdm context add', 'success', 0],
      ['cdm context add', 'failure', 5],
      ['cdm context remove', 'success', 0],
    ]);
    expect(entries[2].targets).toEqual(['context p', 'stored credentials and tokens of p']);
    expect(entries[1].error).toContain('already exists');
    expect(entries[0].context).toBeUndefined(); // no context existed before the first add
    expect(entries[2].context).toBe('p');
    expect(new Set(entries.map((e) => e.correlationId)).size).toBe(3);
    expect(entries[0].actor.length).toBeGreaterThan(0);
  });
});
