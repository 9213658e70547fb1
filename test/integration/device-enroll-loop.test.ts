// Bulk enrollment spreads key generation over the event loop (issue #6: it must not block the loop
// for the whole batch): each worker makes one device's keys per turn, so a turn sees at most
// --concurrency of them. Counted in loop turns, not milliseconds: a ticker re-armed with
// setImmediate advances once per turn, and every device key records the turn it was made in. The
// CLI and the sandbox share this process, as in the other integration tests.
import crypto from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/temp.js';

const keyTurns: number[] = [];
let turn = 0;
/** Only while the CLI runs: the sandbox, in this process too, makes its own keys when it starts. */
let counting = false;

// Every P-256 key the CLI makes comes from generateKeyPairSync (src/pki/keys.ts); the builtin is
// wrapped and its ESM bindings resynchronised, so the CLI's own import sees the wrapper. (vi.mock
// of the keys module is not used: the workflow imports it lazily from several workers at once, and
// vitest hands some of those concurrent first imports the unmocked module.)
const realGenerate = crypto.generateKeyPairSync;
beforeAll(() => {
  crypto.generateKeyPairSync = ((type: string, ...rest: unknown[]) => {
    if (type === 'ec' && counting) keyTurns.push(turn);
    return (realGenerate as (...a: unknown[]) => unknown)(type, ...rest);
  }) as typeof crypto.generateKeyPairSync;
  syncBuiltinESMExports();
});
afterAll(() => { crypto.generateKeyPairSync = realGenerate; syncBuiltinESMExports(); });

let t: TestSandbox;
let dir: string;
beforeAll(async () => {
  t = await startTestSandbox();
  dir = tempDir('cdm-enroll-loop-');
}, 30_000);
afterAll(async () => { await t?.close(); });

describe('cdm device enroll --from-file and the event loop', () => {
  it('makes at most --concurrency devices\' keys per loop turn, never the batch at once', async () => {
    const devices = 40;
    const concurrency = 4;
    const csv = join(dir, 'fleet.csv');
    writeFileSync(csv, ['id,name,type', ...Array.from({ length: devices }, (_, i) => `loop-${i + 1},,bench`)].join('\n'));
    let ticking = true;
    const tick = (): void => { turn++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    counting = true;
    const r = await runCli(['device', 'enroll', '--from-file', csv, '--out', join(dir, 'out'), '--concurrency', String(concurrency), '--context', 'local-acme', '-q'], { env: t.env });
    ticking = false;
    counting = false;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).outcome)).toEqual(Array(devices).fill('enrolled'));
    expect(keyTurns).toHaveLength(devices);
    const perTurn = new Map<number, number>();
    for (const k of keyTurns) perTurn.set(k, (perTurn.get(k) ?? 0) + 1);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(concurrency);
    expect(perTurn.size).toBeGreaterThanOrEqual(devices / concurrency);
  }, 60_000);
});
