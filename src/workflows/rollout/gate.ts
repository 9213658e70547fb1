// The expand gate: the facts about the canary group (hawkBit actions, ThingsBoard alarms) and the
// pure evaluation of each condition. Every condition is reported with its value and whether it
// passed, so an operator (or a script reading JSON) sees exactly why a rollout is held.
import { formatDuration } from '../../core/parse.js';
import { actionStatus, actionTarget } from '../../services/hawkbit/client.js';
import type { Action, Rollout, RolloutGroup } from '../../services/hawkbit/types.js';
import { count } from '../../core/plural.js';

export interface GateOptions {
  minStableMs: number;
  maxFailures: number;
}

export interface CanaryFacts {
  group: RolloutGroup;
  /** The canary's actions (one per device). */
  actions: Array<{ target: string; status: string; lastModifiedAt?: number; createdAt?: number }>;
  /** Alarms per canary device; undefined when ThingsBoard could not be asked (reason given). */
  alarms: { devices: Array<{ device: string; found: boolean; active: number }> } | { error: string };
  now: number;
}

export interface Condition {
  name: 'canary-failures' | 'canary-success' | 'stable-for' | 'no-active-alarms';
  /** What was measured. */
  value: string | number;
  /** What it must be. */
  required: string;
  pass: boolean;
  detail?: string;
}

const TERMINAL = ['finished', 'error', 'canceled'];

export function canaryActions(actions: Action[]): CanaryFacts['actions'] {
  return actions.map((a) => ({
    target: actionTarget(a) ?? `action-${a.id}`, status: actionStatus(a),
    ...(a.lastModifiedAt !== undefined ? { lastModifiedAt: a.lastModifiedAt } : {}), ...(a.createdAt !== undefined ? { createdAt: a.createdAt } : {}),
  }));
}

/** When the canary started: its earliest action. */
export function canaryStart(facts: Pick<CanaryFacts, 'actions' | 'group'>): number {
  const times = facts.actions.map((a) => a.createdAt).filter((x): x is number => x !== undefined);
  return times.length ? Math.min(...times) : facts.group.lastModifiedAt ?? facts.group.createdAt ?? 0;
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${m}m` : m > 0 ? `${m}m${s % 60}s` : `${s}s`;
}

export function evaluateGate(facts: CanaryFacts, opts: GateOptions): Condition[] {
  const total = facts.group.totalTargets || facts.actions.length;
  const failed = facts.actions.filter((a) => a.status === 'error').length;
  const finished = facts.actions.filter((a) => a.status === 'finished').length;
  const threshold = Number.parseInt(facts.group.successCondition?.expression ?? '100', 10);
  const success = total === 0 ? 100 : Math.round((finished / total) * 10_000) / 100;
  const open = facts.actions.filter((a) => !TERMINAL.includes(a.status));
  const lastDone = Math.max(0, ...facts.actions.filter((a) => TERMINAL.includes(a.status)).map((a) => a.lastModifiedAt ?? 0));
  const stableMs = facts.now - lastDone;

  const conditions: Condition[] = [
    { name: 'canary-failures', value: failed, required: `≤ ${opts.maxFailures}`, pass: failed <= opts.maxFailures, ...(failed ? { detail: facts.actions.filter((a) => a.status === 'error').map((a) => a.target).join(', ') } : {}) },
    { name: 'canary-success', value: `${success}%`, required: `≥ ${threshold}%`, pass: success >= threshold, detail: `${finished}/${total} finished` },
    open.length > 0
      ? { name: 'stable-for', value: `${count(open.length, 'canary device')} still updating`, required: `≥ ${formatDuration(opts.minStableMs)} since the last canary device finished`, pass: false }
      : { name: 'stable-for', value: duration(stableMs), required: `≥ ${formatDuration(opts.minStableMs)}`, pass: stableMs >= opts.minStableMs },
  ];
  if ('error' in facts.alarms) {
    conditions.push({ name: 'no-active-alarms', value: 'unknown', required: '0 active alarms on canary devices', pass: false, detail: facts.alarms.error });
  } else {
    const devices = facts.alarms.devices;
    const alarmed = devices.filter((d) => d.active > 0);
    const missing = devices.filter((d) => !d.found);
    const count = devices.reduce((n, d) => n + d.active, 0);
    const details = [
      ...(alarmed.length ? [`alarms on ${alarmed.map((d) => `${d.device} (${d.active})`).join(', ')}`] : []),
      ...(missing.length ? [`not in ThingsBoard: ${missing.map((d) => d.device).join(', ')}`] : []),
    ];
    conditions.push({ name: 'no-active-alarms', value: count, required: '0 active alarms on canary devices since the canary started', pass: count === 0 && missing.length === 0, ...(details.length ? { detail: details.join('; ') } : {}) });
  }
  return conditions;
}

/** The group a resume starts next, and whether it is the last one (expanding to 100 %). */
export function nextGroup(groups: RolloutGroup[]): { next?: RolloutGroup; isLast: boolean } {
  const i = groups.findIndex((g) => g.status === 'scheduled');
  if (i < 0) return { isLast: false };
  return { next: groups[i]!, isLast: i === groups.length - 1 };
}

export function gateRollout(r: Rollout): string {
  return `${r.name} (id ${r.id})`;
}
