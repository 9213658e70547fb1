// Waiting on hawkBit's scheduler: a new rollout is `creating` until its groups are filled (seconds
// on a real server), `starting` until the first group's actions exist.
import { PendingError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { Rollout } from '../../services/hawkbit/types.js';
import type { Hawkbit } from './connect.js';

export const POLL_MS = 500;
const LIMIT_MS = 120_000;

export async function waitForStatus(f: Pick<Factory, 'sleep' | 'clock'>, hb: Hawkbit, id: number, leave: readonly string[], what: string): Promise<Rollout> {
  const end = f.clock() + LIMIT_MS;
  for (;;) {
    const r = await hb.rollouts.get(id);
    if (!leave.includes(r.status)) return r;
    if (f.clock() > end) throw new PendingError(`rollout ${id} is still ${r.status} after ${LIMIT_MS / 1000}s (${what})`, { service: 'hawkbit' });
    await f.sleep(POLL_MS);
  }
}
