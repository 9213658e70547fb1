// The health wait on `docker compose ps --format json`: both output shapes, one-shots, the
// unhealthy and timeout ends, and the progress bar's denominator.
import { describe, expect, it } from 'vitest';
import { PendingError } from '../../../src/core/errors.js';
import { parsePs } from '../../../src/stack/compose.js';
import { readiness, waitHealthy } from '../../../src/stack/health.js';

const svc = (name: string, oneShot = false) => ({ name, oneShot });
const st = (service: string, state: string, health = '', exitCode = 0) => ({ service, state, health, exitCode });

describe('docker compose ps parsing', () => {
  it('reads the JSON array of Compose ≤ 2.20 and the JSON lines of ≥ 2.21', () => {
    const row = { Service: 'keycloak', State: 'running', Health: 'healthy', ExitCode: 0, Name: 'cdm-provider-keycloak-1' };
    expect(parsePs(JSON.stringify([row]))).toEqual([st('keycloak', 'running', 'healthy')]);
    expect(parsePs(`${JSON.stringify(row)}\n${JSON.stringify({ ...row, Service: 'step-ca-init', State: 'exited', Health: '', ExitCode: 1 })}\n`))
      .toEqual([st('keycloak', 'running', 'healthy'), st('step-ca-init', 'exited', '', 1)]);
    expect(parsePs('')).toEqual([]);
  });
});

describe('readiness', () => {
  it('long-running: healthy is ready, starting waits, unhealthy or stopped fails', () => {
    expect(readiness(svc('a'), st('a', 'running', 'healthy'))).toBe('ready');
    expect(readiness(svc('a'), st('a', 'running', 'starting'))).toBe('waiting');
    expect(readiness(svc('a'), undefined)).toBe('waiting');
    expect(readiness(svc('a'), st('a', 'running', 'unhealthy'))).toEqual({ failed: 'is unhealthy' });
    expect(readiness(svc('a'), st('a', 'exited', '', 137))).toEqual({ failed: 'stopped (exited, exit code 137)' });
  });

  it('one-shot: exit 0 is ready, running waits, another code fails', () => {
    expect(readiness(svc('i', true), st('i', 'exited'))).toBe('ready');
    expect(readiness(svc('i', true), st('i', 'running'))).toBe('waiting');
    expect(readiness(svc('i', true), st('i', 'exited', '', 2))).toEqual({ failed: 'exited with code 2' });
  });
});

describe('waitHealthy', () => {
  it('polls until all are ready, ticking the bar once per service', async () => {
    const answers = [[st('a', 'running', 'starting')], [st('a', 'running', 'healthy'), st('i', 'exited')]];
    const ticks: string[] = [];
    await waitHealthy({
      project: 'p', services: [svc('a'), svc('i', true)], poll: async () => answers.shift() ?? [],
      sleep: async () => undefined, now: () => 0, timeoutMs: 1000, bar: { tick: (_n, label) => { ticks.push(label!); }, done: () => undefined },
    });
    expect(ticks).toEqual(['a', 'i']);
  });

  it('gives up at the deadline with exit 8, naming what it still waits for', async () => {
    let t = 0;
    const wait = waitHealthy({
      project: 'p', services: [svc('a'), svc('b')], poll: async () => [st('a', 'running', 'healthy'), st('b', 'running', 'starting')],
      sleep: async (ms) => { t += ms; }, now: () => t, timeoutMs: 10_000, intervalMs: 2000,
    });
    await expect(wait).rejects.toThrow(PendingError);
    await expect(wait).rejects.toThrow('p: not healthy within 10 s; still waiting for b');
  });
});
