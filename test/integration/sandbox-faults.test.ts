// Fault injection of `cdm stack up --latency/--error-rate/--fault-seed` applies to every emulator,
// repeatably; the CLI's retries ride over it for idempotent calls.
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/stack/host.js';
import { randomPortBase } from '../helpers/ports.js';
import { tempDir } from '../helpers/temp.js';

async function statuses(seed: number): Promise<number[]> {
  const stateDir = tempDir('cdm-faults-');
  const portBase = randomPortBase();
  const sb = await startSandbox({ stateDir, provider: true, tenants: [], portBase, faults: { errorRate: 0.5, seed, latencyMs: 5 } });
  const url = sb.info.services.find((s) => s.service === 'keycloak')!.url;
  const out: number[] = [];
  for (let i = 0; i < 30; i++) {
    // A fresh connection each time: a dropped connection must not poison the next request.
    const res = await fetch(`${url}/realms/cdm/.well-known/openid-configuration`, { headers: { connection: 'close' } }).then((r) => r.status, () => 0);
    out.push(res);
  }
  await sb.close();
  return out;
}

describe('sandbox fault injection', () => {
  it('produces 5xx, 429 and dropped connections in a sequence fixed by the seed', async () => {
    const a = await statuses(7);
    const b = await statuses(7);
    expect(a).toEqual(b);
    expect(a).toContain(200);
    expect(a.some((s) => s >= 500 || s === 429 || s === 0)).toBe(true);
    expect(new Set(a.filter((s) => s !== 200)).size).toBeGreaterThan(1);
  });
});
