// `cdm rollout status`: the rollout and each group's progress, and what that state means for a
// script: finished (0), paused on errors (7), or still going / held after a canary (8).
import { ExitCode } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { PerStatus, Rollout, RolloutGroup } from '../../services/hawkbit/types.js';
import { connectHawkbit, type Hawkbit } from './connect.js';
import { resolveRollout } from './resolve.js';
import type { AlarmGuard, AlarmTrip } from './watch-alarms.js';

export interface GroupProgress {
  name: string;
  status: string;
  totalTargets: number;
  finished: number;
  error: number;
  running: number;
  scheduled: number;
  notStarted: number;
  cancelled: number;
  /** finished / total, percent. */
  progress: number;
  successThreshold?: number;
  errorThreshold?: number;
  successAction?: string;
}

export interface RolloutStatusReport {
  id: number;
  name: string;
  status: string;
  distributionSetId: number;
  targetFilterQuery: string;
  totalTargets: number;
  totals: PerStatus;
  groups: GroupProgress[];
  /**
   * What the state means: finished, paused-on-errors, paused (held, e.g. after a canary), running,
   * stopped, other; `paused-on-alarms` only from `--watch --pause-on-alarms` when it paused the rollout.
   */
  phase: 'finished' | 'paused-on-errors' | 'paused-on-alarms' | 'paused' | 'running' | 'stopped' | 'other';
  /** `--pause-on-alarms`: the alarm that made the watch pause the rollout. */
  pausedForAlarm?: AlarmTrip;
}

const ZERO: PerStatus = { scheduled: 0, running: 0, error: 0, finished: 0, cancelled: 0, notstarted: 0 };

function group(g: RolloutGroup): GroupProgress {
  const t = { ...ZERO, ...g.totalTargetsPerStatus };
  const n = (x: string | undefined): number | undefined => (x === undefined || Number.isNaN(Number.parseInt(x, 10)) ? undefined : Number.parseInt(x, 10));
  const success = n(g.successCondition?.expression);
  const error = n(g.errorCondition?.expression);
  return {
    name: g.name, status: g.status, totalTargets: g.totalTargets, finished: t.finished, error: t.error, running: t.running,
    scheduled: t.scheduled, notStarted: t.notstarted, cancelled: t.cancelled,
    progress: g.totalTargets === 0 ? 100 : Math.round((t.finished / g.totalTargets) * 1000) / 10,
    ...(success !== undefined ? { successThreshold: success } : {}), ...(error !== undefined ? { errorThreshold: error } : {}),
    ...(g.successAction ? { successAction: g.successAction.action } : {}),
  };
}

export function phaseOf(r: Rollout, groups: GroupProgress[]): RolloutStatusReport['phase'] {
  switch (r.status) {
    case 'finished': return 'finished';
    case 'paused': return groups.some((g) => g.status === 'error') ? 'paused-on-errors' : 'paused';
    // stopping/deleting are transitions hawkBit's scheduler completes: keep watching until they land.
    case 'running': case 'starting': case 'ready': case 'creating': case 'waiting_for_approval': case 'stopping': case 'deleting': return 'running';
    case 'stopped': case 'deleted': case 'approval_denied': return 'stopped';
    default: return 'other';
  }
}

/** Exit status for `--watch` / `--exit-status`: 0 finished, 7 paused on errors (or alarms), 5 stopped, 8 otherwise. */
export function exitFor(phase: RolloutStatusReport['phase']): number {
  if (phase === 'finished') return ExitCode.ok;
  if (phase === 'paused-on-errors' || phase === 'paused-on-alarms') return ExitCode.threshold;
  if (phase === 'stopped') return ExitCode.conflict;
  return ExitCode.pending;
}

export async function readStatus(hb: Hawkbit, id: number): Promise<RolloutStatusReport> {
  const r = await hb.rollouts.get(id);
  const groups = (await hb.rollouts.groups(id)).map(group);
  return {
    id: r.id, name: r.name, status: r.status, distributionSetId: r.distributionSetId, targetFilterQuery: r.targetFilterQuery,
    totalTargets: r.totalTargets, totals: { ...ZERO, ...r.totalTargetsPerStatus }, groups, phase: phaseOf(r, groups),
  };
}

export async function rolloutStatus(f: Factory, spec: string): Promise<{ hb: Hawkbit; report: RolloutStatusReport }> {
  const hb = await connectHawkbit(f);
  const r = await resolveRollout(hb, spec);
  return { hb, report: await readStatus(hb, r.id) };
}

/**
 * Polls until the rollout finishes (0), pauses on errors (7) or stops (5). A rollout paused
 * without errors (held after a canary) waits for an operator: that ends the watch with 8. With a
 * `guard` (--pause-on-alarms), every poll of a running rollout also checks the updated devices'
 * alarms; the first one pauses the rollout and ends the watch as `paused-on-alarms` (7).
 */
export async function watchStatus(f: Factory, hb: Hawkbit, first: RolloutStatusReport, intervalMs: number, onChange: (r: RolloutStatusReport) => void, guard?: AlarmGuard): Promise<RolloutStatusReport> {
  let report = first;
  let last = '';
  for (;;) {
    const key = JSON.stringify([report.status, report.groups]);
    if (key !== last) { onChange(report); last = key; }
    if (report.phase !== 'running') return report;
    const alarm = guard ? await guard.check(report) : undefined;
    if (guard && alarm) {
      const paused = await guard.pause(report, alarm);
      // Paused by us: 7 whatever hawkBit shows. Finished or paused meanwhile: hawkBit's own phase.
      return { ...paused.report, pausedForAlarm: paused.trip, ...(paused.trip.action === 'paused' ? { phase: 'paused-on-alarms' as const } : {}) };
    }
    await f.sleep(intervalMs);
    report = await readStatus(hb, report.id);
  }
}
