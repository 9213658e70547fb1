// List, start, pause, resume, cancel (stop) and retry: one hawkBit call each, on a rollout given
// by id or name, answered with the rollout as it is afterwards.
import { ConflictError, NotFoundError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { hawkbitErrorKey } from '../../services/hawkbit/errors.js';
import type { RolloutOp } from '../../services/hawkbit/rollouts.js';
import type { Rollout } from '../../services/hawkbit/types.js';
import { connectHawkbit, type Hawkbit } from './connect.js';
import { resolveRollout } from './resolve.js';
import { waitForStatus } from './wait.js';

export interface RolloutSummary {
  id: number;
  name: string;
  status: string;
  distributionSetId: number;
  targetFilterQuery: string;
  totalTargets: number;
  finished: number;
  error: number;
  groups?: number;
  type?: string;
  createdAt?: string;
}

export function summary(r: Rollout): RolloutSummary {
  return {
    id: r.id, name: r.name, status: r.status, distributionSetId: r.distributionSetId, targetFilterQuery: r.targetFilterQuery,
    totalTargets: r.totalTargets, finished: r.totalTargetsPerStatus?.finished ?? 0, error: r.totalTargetsPerStatus?.error ?? 0,
    ...(r.totalGroups !== undefined ? { groups: r.totalGroups } : {}), ...(r.type ? { type: r.type } : {}),
    ...(r.createdAt !== undefined ? { createdAt: new Date(r.createdAt).toISOString() } : {}),
  };
}

/** Every rollout, streamed page by page (optionally filtered by FIQL on rollout fields). */
export async function* listRollouts(f: Factory, q?: string): AsyncGenerator<RolloutSummary> {
  const hb = await connectHawkbit(f);
  for await (const r of hb.rollouts.list(q)) yield summary(r);
}

/** Resolves the rollout (a read) — used by the plans of the mutating verbs. */
export async function findRollout(f: Factory, spec: string): Promise<Rollout> {
  return resolveRollout(await connectHawkbit(f), spec);
}

export async function rolloutOp(f: Factory, spec: string, op: RolloutOp): Promise<RolloutSummary> {
  return rolloutOpWith(f, await connectHawkbit(f), spec, op);
}

export async function rolloutOpWith(f: Pick<Factory, 'sleep' | 'clock'>, hb: Hawkbit, spec: string, op: RolloutOp): Promise<RolloutSummary> {
  let r = await resolveRollout(hb, spec);
  // A rollout just created is `creating` until hawkBit has filled its groups; only then can it start.
  if (op === 'start' && r.status === 'creating') r = await waitForStatus(f, hb, r.id, ['creating'], 'filling its groups');
  try {
    await hb.rollouts.op(r.id, op);
  } catch (err) {
    // hawkBit's refusal names the states; the way out of `ready` is a verb of its own.
    if (err instanceof ConflictError && op === 'resume' && r.status === 'ready') {
      throw new ConflictError(err.message, { service: 'hawkbit', ...(err.status !== undefined ? { status: err.status } : {}), hint: `the rollout was created without --start; start it: cdm rollout start ${spec}` });
    }
    // The rollout was just read, so a 404 is the route: `stop` came with hawkBit 0.10.
    if (err instanceof NotFoundError && op === 'stop') {
      throw new ConflictError(`this hawkBit cannot stop rollout ${r.name}: it has no POST /rollouts/{id}/stop (that came with hawkBit 0.10); nothing was changed`, {
        service: 'hawkbit', status: 404, hint: `hold it with cdm rollout pause ${spec}, and cancel its open actions in hawkBit (Deployment view, or DELETE /rest/v1/targets/{id}/actions/{actionId})`,
      });
    }
    throw err;
  }
  return summary(await hb.rollouts.get(r.id));
}

/** `retry`: hawkBit makes `<name>_retry` over the failed targets of a finished rollout. */
export async function retryRollout(f: Factory, spec: string, start: boolean): Promise<RolloutSummary> {
  const hb = await connectHawkbit(f);
  const r = await resolveRollout(hb, spec);
  let made: Rollout;
  try {
    made = await hb.rollouts.retry(r.id);
  } catch (err) {
    if (hawkbitErrorKey(err)?.includes('entityalreadyexists')) {
      throw new ConflictError(`rollout ${r.name} was retried before: hawkBit names every retry ${r.name}_retry, and that name is taken`, {
        service: 'hawkbit', status: 409, hint: `retry the earlier retry instead (cdm rollout retry ${r.name}_retry once it has finished), or delete it in hawkBit`,
      });
    }
    // hawkBit's 400 here is a refused precondition (not finished, nothing failed), not bad input.
    if (err instanceof UsageError && err.status === 400) throw new ConflictError(err.message, { service: 'hawkbit', status: 400 });
    throw err;
  }
  if (start) {
    made = await waitForStatus(f, hb, made.id, ['creating'], 'filling the retry group');
    await hb.rollouts.op(made.id, 'start');
    made = await hb.rollouts.get(made.id);
  }
  return summary(made);
}
