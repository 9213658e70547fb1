// The not-found error of a device that cdm itself removed: found in cdm's journal, for the right
// context, device and outcome only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastRemoval, unknownDevice } from '../../../src/workflows/device/unknown.js';
import { tempDir } from '../../helpers/temp.js';

const entry = (o: Record<string, unknown>) => JSON.stringify({ time: '2026-12-01T03:00:00.000Z', correlationId: 'c', actor: 'ops', context: 'acme', targets: ['dev-1'], outcome: 'success', exitCode: 0, ...o });

function journal(lines: string[]): string {
  const dir = tempDir('cdm-unknown-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'journal.ndjson'), `${lines.join('\n')}\n`);
  return dir;
}

describe('lastRemoval', () => {
  it('finds the last successful isolate or delete of the device on the context, with its reason', async () => {
    const dir = journal([
      entry({ command: 'cdm device delete', time: '2026-12-01T01:00:00.000Z' }),
      entry({ command: 'cdm device isolate', time: '2026-12-01T02:00:00.000Z', reason: 'stolen' }),
      entry({ command: 'cdm device isolate', time: '2026-12-01T04:00:00.000Z', outcome: 'failure', exitCode: 3 }),
      '{"torn',
    ]);
    expect(await lastRemoval(dir, 'acme', 'dev-1')).toEqual({ done: 'isolated', time: '2026-12-01T02:00:00.000Z', actor: 'ops', reason: 'stolen' });
  });

  it('ignores other contexts, other devices whose id contains this one, and other commands', async () => {
    const dir = journal([
      entry({ command: 'cdm device isolate', context: 'globex' }),
      entry({ command: 'cdm device isolate', targets: ['dev-10'] }),
      entry({ command: 'cdm device enroll' }),
    ]);
    expect(await lastRemoval(dir, 'acme', 'dev-1')).toBeUndefined();
    expect(await lastRemoval(tempDir('cdm-unknown-none-'), 'acme', 'dev-1')).toBeUndefined();
  });
});

describe('unknownDevice', () => {
  it('says who removed the device and where its history is, or points at the fleet', () => {
    const known = unknownDevice('dev-1', 'the bridge', { done: 'deleted', time: 'T', actor: 'ops' });
    expect(known.message).toBe('device "dev-1" is known to none of the bridge: cdm deleted it at T (by ops)');
    expect(known.hint).toBe('what happened to it: cdm audit export --device dev-1');
    const plain = unknownDevice('dev-1', 'the bridge', undefined);
    expect(plain.message).toBe('device "dev-1" is known to none of the bridge');
    expect(plain.hint).toBe('`cdm device list` shows the fleet');
  });
});
