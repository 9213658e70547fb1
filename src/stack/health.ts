// Waiting for a stack to be healthy after `docker compose up -d`, from `docker compose ps`:
// long-running services must report healthy, one-shot inits must have exited 0. An unhealthy
// service or a failed init ends the wait at once, naming it; the whole wait is bounded.
import { CdmError, PendingError } from '../core/errors.js';
import type { ProgressBar } from '../core/progress.js';
import type { ServiceState } from './compose.js';
import type { ComposeService } from './services.js';

export type Readiness = 'ready' | 'waiting' | { failed: string };

export function readiness(svc: ComposeService, st: ServiceState | undefined): Readiness {
  if (!st) return 'waiting'; // not created yet (waits on a dependency)
  if (svc.oneShot) {
    if (st.state !== 'exited') return 'waiting';
    return st.exitCode === 0 ? 'ready' : { failed: `exited with code ${st.exitCode}` };
  }
  if (st.health === 'unhealthy') return { failed: 'is unhealthy' };
  if (st.state === 'exited' || st.state === 'dead') return { failed: `stopped (${st.state}, exit code ${st.exitCode})` };
  return st.health === 'healthy' ? 'ready' : 'waiting';
}

export interface WaitOptions {
  project: string;
  services: ComposeService[];
  poll: () => Promise<ServiceState[]>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  timeoutMs: number;
  intervalMs?: number;
  bar?: ProgressBar;
}

export async function waitHealthy(o: WaitOptions): Promise<void> {
  const deadline = o.now() + o.timeoutMs;
  const done = new Set<string>();
  for (;;) {
    const states = await o.poll();
    const waiting: string[] = [];
    for (const svc of o.services) {
      const r = readiness(svc, states.find((s) => s.service === svc.name));
      if (typeof r === 'object') {
        throw new CdmError(`${o.project}: service ${svc.name} ${r.failed}`, { hint: `see its log: cdm stack logs --engine compose --service ${svc.name}` });
      }
      if (r === 'waiting') { waiting.push(svc.name); continue; }
      if (!done.has(svc.name)) { done.add(svc.name); o.bar?.tick(1, svc.name); }
    }
    if (waiting.length === 0) return;
    if (o.now() >= deadline) {
      throw new PendingError(`${o.project}: not healthy within ${Math.round(o.timeoutMs / 1000)} s; still waiting for ${waiting.join(', ')}`, { hint: 'cdm stack status --engine compose' });
    }
    await o.sleep(o.intervalMs ?? 2000);
  }
}
