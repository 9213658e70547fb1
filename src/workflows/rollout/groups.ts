// How `--groups 5,25,70` becomes hawkBit deploy groups, and how many targets each will get.
//
// THE PERCENTAGE DECISION. hawkBit's Mgmt API schema (and the reference, and the issue) describe a
// group's `targetPercentage` as a share of the targets the earlier groups left. The 1.x server
// does otherwise: rollouts are "new style" (JpaRollout.isNewStyleTargetPercent) and
// JpaRolloutExecutor converts each group's percentage, read as a share of ALL matching targets,
// into a share of the rest (RolloutHelper.toPercentFromTheRest: pct × 100 / (100 − earlier pcts),
// capped at 100), then takes round(that × remaining / 100) targets. So on the servers cdm talks to
// (hawkBit ≥0.5, 1.x, and the sandbox, which follows 1.x) the operator's shares are sent as they
// are: 5, 25, 70. Sending the schema's "of the rest" numbers (5, 26.32, 100) would give the middle
// group 27.7 % on a 1.x server. The LAST group is always sent as 100: under both readings that
// means "everything left", so rounding never strands a target outside every group (hawkBit refuses
// a rollout whose groups do not cover all matching targets). `create` reads the groups back after
// hawkBit fills them and warns if the counts differ from the plan (an old-style server).
import { UsageError } from '../../core/errors.js';
import type { Condition, ErrorAction, GroupCreate, SuccessAction } from '../../services/hawkbit/types.js';

/** `5,25,70` → [5, 25, 70]; each in (0, 100], summing to 100 (±0.01 for decimals like 33.3). */
export function parseGroups(text: string, flag = '--groups'): number[] {
  const parts = text.split(',').map((p) => p.trim().replace(/%$/, ''));
  const values = parts.map((p) => Number(p));
  if (parts.some((p) => p === '') || values.some((v) => !Number.isFinite(v) || v <= 0 || v > 100)) {
    throw new UsageError(`invalid ${flag} "${text}": expected comma-separated percentages, e.g. 5,25,70`);
  }
  const sum = values.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 100) > 0.01) throw new UsageError(`invalid ${flag} "${text}": the percentages add up to ${round2(sum)}, not 100`);
  // hawkBit refuses a group below 1 % ("Target percentage has to be between 1 and 100").
  if (values.some((v) => v < 1)) throw new UsageError(`invalid ${flag} "${text}": hawkBit needs every group to be at least 1 %`);
  return values;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The percentage sent for each group (see the decision above): the share itself, the last 100. */
export function wirePercentages(shares: readonly number[]): number[] {
  return shares.map((s, i) => (i === shares.length - 1 ? 100 : s));
}

/**
 * Targets per group as a 1.x server fills them: each group's share of all is turned into a share
 * of the rest, applied to what is left, rounded half up (Math.round, as the server does).
 */
export function expectedCounts(total: number, shares: readonly number[]): number[] {
  const wire = wirePercentages(shares);
  let left = total;
  let served = 0;
  return wire.map((pct) => {
    const toServe = 100 - served;
    const fromRest = toServe <= 1 ? 100 : Math.min(100, (pct * 100) / toServe);
    const n = Math.round((fromRest * left) / 100);
    served += pct;
    left -= n;
    return n;
  });
}

export interface GroupOptions {
  shares: readonly number[];
  successThreshold: number;
  errorThreshold: number;
  /** Success action of the first group: `PAUSE` holds the rollout after the canary. */
  firstSuccessAction?: SuccessAction['action'];
  names?: readonly string[];
}

/** Group names: `canary` for a canary's first group, then `wave-N`. */
export function groupNames(count: number, canary: boolean): string[] {
  return Array.from({ length: count }, (_, i) => (canary && i === 0 ? 'canary' : `wave-${canary ? i : i + 1}`));
}

const threshold = (n: number): Condition => ({ condition: 'THRESHOLD', expression: String(n) });

/** The `groups` array of a RolloutCreate: only fields hawkBit reads (cdm-platform §5.4). */
export function groupBodies(o: GroupOptions): GroupCreate[] {
  const names = o.names ?? groupNames(o.shares.length, false);
  const wire = wirePercentages(o.shares);
  const errorAction: ErrorAction = { action: 'PAUSE', expression: '' };
  return wire.map((pct, i) => ({
    name: names[i] ?? `wave-${i + 1}`,
    targetPercentage: pct,
    successCondition: threshold(o.successThreshold),
    successAction: { action: i === 0 && o.firstSuccessAction ? o.firstSuccessAction : 'NEXTGROUP', expression: '' },
    errorCondition: threshold(o.errorThreshold),
    errorAction,
  }));
}
