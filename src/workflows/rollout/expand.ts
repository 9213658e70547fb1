// `cdm rollout expand`: evaluate the gate on the group that last ran (the canary), then resume the
// rollout, or refuse with exit 5 and every condition. Reads only until the gate is decided.
import { ConflictError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { Rollout, RolloutGroup } from '../../services/hawkbit/types.js';
import { AlarmReader } from './alarms.js';
import { connectHawkbit, type Hawkbit } from './connect.js';
import { canaryActions, canaryStart, evaluateGate, nextGroup, type CanaryFacts, type Condition, type GateOptions } from './gate.js';
import { resolveRollout } from './resolve.js';

export interface ExpandInput extends GateOptions {
  rollout: string;
  force: boolean;
}

export interface GateReport {
  rollout: { id: number; name: string; status: string };
  canary: { group: string; devices: number; startedAt: string };
  conditions: Condition[];
  passed: boolean;
  forced: boolean;
  /** The group a resume starts; `toLast` when that is the last one (the rollout goes to 100 %). */
  nextGroup?: string;
  toLast: boolean;
  action: 'resumed' | 'triggered-next-group' | 'refused' | 'none';
}

/** The group that ran most recently: the canary right after `canary` paused. */
function lastStarted(groups: RolloutGroup[]): RolloutGroup | undefined {
  return [...groups].reverse().find((g) => g.status !== 'scheduled' && g.status !== 'ready' && g.status !== 'creating');
}

export async function gatherFacts(f: Factory, hb: Hawkbit, rollout: Rollout, groups: RolloutGroup[]): Promise<CanaryFacts> {
  const group = lastStarted(groups);
  if (!group) throw new ConflictError(`rollout ${rollout.name} has not started a group yet (status ${rollout.status}); nothing to expand`, { service: 'hawkbit' });
  const members = new Set<string>();
  for await (const t of hb.rollouts.groupTargets(rollout.id, group.id)) members.add(t.controllerId);
  const all = [];
  for await (const a of hb.rollouts.actions(rollout.id)) all.push(a);
  const actions = canaryActions(all).filter((a) => members.has(a.target));
  const since = canaryStart({ actions, group });
  let alarms: CanaryFacts['alarms'];
  try {
    const reader = await AlarmReader.open(f);
    const devices = [];
    for (const d of members) {
      const r = await reader.activeSince(d, since);
      devices.push({ device: d, found: r.found, active: r.active.length });
    }
    alarms = { devices };
  } catch (err) {
    // The gate fails closed: alarms that cannot be read are not "no alarms".
    alarms = { error: `ThingsBoard could not be asked: ${(err as Error).message}` };
  }
  return { group, actions, alarms, now: f.clock() };
}

export async function evaluate(f: Factory, input: ExpandInput): Promise<{ hb: Hawkbit; rollout: Rollout; report: GateReport }> {
  const hb = await connectHawkbit(f);
  const rollout = await resolveRollout(hb, input.rollout);
  const groups = await hb.rollouts.groups(rollout.id);
  const facts = await gatherFacts(f, hb, rollout, groups);
  const conditions = evaluateGate(facts, input);
  const { next, isLast } = nextGroup(groups);
  const passed = conditions.every((c) => c.pass);
  return {
    hb, rollout,
    report: {
      rollout: { id: rollout.id, name: rollout.name, status: rollout.status },
      canary: { group: facts.group.name, devices: facts.actions.length, startedAt: new Date(canaryStart(facts)).toISOString() },
      conditions, passed, forced: false, ...(next ? { nextGroup: next.name } : {}), toLast: isLast, action: 'none',
    },
  };
}

/** Acts on an evaluated gate: resume (or trigger the next group), or refuse. */
export async function applyGate(hb: Hawkbit, rollout: Rollout, report: GateReport, force: boolean): Promise<GateReport> {
  if (!report.passed && !force) return { ...report, action: 'refused' };
  const forced = !report.passed && force;
  if (rollout.status === 'paused') {
    await hb.rollouts.op(rollout.id, 'resume');
    return { ...report, forced, action: 'resumed' };
  }
  if (rollout.status === 'running' && report.nextGroup) {
    await hb.rollouts.op(rollout.id, 'triggerNextGroup');
    return { ...report, forced, action: 'triggered-next-group' };
  }
  throw new ConflictError(`rollout ${rollout.name} is ${rollout.status}${report.nextGroup ? '' : ' with no group left to start'}; nothing to expand`, { service: 'hawkbit' });
}
