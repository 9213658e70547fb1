// The rollout engine: one pass of hawkBit 1.1's RolloutScheduler → JpaRolloutExecutor over
// every active rollout (creating, ready, starting, running, stopping, deleting), plus the group
// transitions the Management API triggers directly (resume, triggerNextGroup).
//
// Semantics reproduced from the 1.1 sources:
// - creating: groups are filled in order; each group draws from the rollout's matching targets
//   not yet in an earlier group. Group `targetPercentage` is "new style" (hawkBit ≥0.5, JpaRollout
//   .isNewStyleTargetPercent): a share of ALL matching targets of that group filter, converted to
//   a share of the rest by RolloutHelper.toPercentFromTheRest. The Mgmt API schema still
//   describes it as a share of the remaining targets; the server computes otherwise.
// - starting: scheduled (inactive) actions for every group member, first group started.
// - running: per running group, error condition (error/total > expr%) → error action PAUSE
//   (group `error`, rollout `paused`); else success condition (finished/total ≥ expr%, or group
//   complete) → success action NEXTGROUP (start the next group) or PAUSE (pause while a later
//   group is still scheduled); a group whose actions are all terminal is `finished`. No running
//   group left → the next scheduled group is triggered; no running or scheduled group → finished.
import { compileFilter } from './fiql.js';
import { targetFields } from './fields.js';
import { addStatus, lockDs, startScheduled } from './deployment.js';
import { rolloutIllegalState } from './errors.js';
import { lookup, nextId, touch, type ActionRec, type GroupRec, type HbState, type RolloutRec, type TargetRec } from './state.js';

export type Totals = Record<'scheduled' | 'running' | 'error' | 'finished' | 'cancelled' | 'notstarted', number>;

export const ACTIVE_ROLLOUT_STATES = ['creating', 'ready', 'starting', 'running', 'stopping', 'deleting'];

export function rolloutActions(state: HbState, rolloutId: number): ActionRec[] {
  return Object.values(state.actions).filter((a) => a.rolloutId === rolloutId);
}

function groupActions(state: HbState, groupId: number): ActionRec[] {
  return Object.values(state.actions).filter((a) => a.groupId === groupId);
}

/** `totalTargetsPerStatus`: all six keys; targets without an action are `notstarted`. */
export function totals(state: HbState, rollout: RolloutRec, actions: ActionRec[], total: number): Totals {
  const out: Totals = { scheduled: 0, running: 0, error: 0, finished: 0, cancelled: 0, notstarted: 0 };
  for (const a of actions) {
    switch (a.status) {
      case 'scheduled': out.scheduled++; break;
      case 'error': out.error++; break;
      case 'finished': out.finished++; break;
      case 'canceled': out.cancelled++; break;
      case 'downloaded': if (rollout.type === 'downloadonly') out.finished++; else out.running++; break;
      default: out.running++;
    }
  }
  out.notstarted = Math.max(0, total - (out.scheduled + out.running + out.error + out.finished + out.cancelled));
  return out;
}

export function rolloutTotals(state: HbState, r: RolloutRec): Totals {
  return totals(state, r, rolloutActions(state, r.id), r.totalTargets);
}

export function groupTotals(state: HbState, r: RolloutRec, g: GroupRec): Totals {
  return totals(state, r, groupActions(state, g.id), g.totalTargets);
}

// ---------------------------------------------------------------------------------------------
// Group filling

export interface GroupPlan { targetPercentage: number; targetFilterQuery: string }

const RETRY_FILTER = /^failedrollout==(\d+)$/i;

/** Targets the rollout addresses, in creation order (the order hawkBit pages them by id). */
export function rolloutCandidates(state: HbState, filter: string, createdAt: number): TargetRec[] {
  const retry = RETRY_FILTER.exec(filter.trim());
  let list: TargetRec[];
  if (retry) {
    const failed = new Set(rolloutActions(state, Number(retry[1])).filter((a) => a.status === 'error').map((a) => a.controllerId));
    list = Object.values(state.targets).filter((t) => failed.has(t.controllerId));
  } else {
    const match = compileFilter(filter, targetFields(state));
    // RolloutHelper.getTargetFilterQuery: only targets created up to the rollout's creation.
    list = Object.values(state.targets).filter((t) => t.createdAt <= createdAt && match(t));
  }
  return list.sort((a, b) => a.createdAt - b.createdAt || (a.controllerId < b.controllerId ? -1 : a.controllerId > b.controllerId ? 1 : 0));
}

/** RolloutHelper.toPercentFromTheRest: total-percent of a group → percent of what earlier groups with the same filter left. */
function percentFromRest(plans: GroupPlan[], index: number): number {
  const group = plans[index]!;
  let toServe = 100;
  for (let i = 0; i < index; i++) if (plans[i]!.targetFilterQuery === group.targetFilterQuery) toServe -= plans[i]!.targetPercentage;
  return toServe <= 1 ? 100 : Math.min(100, (group.targetPercentage * 100) / toServe);
}

/** The members of each group, drawn in order (JpaRolloutExecutor.fillRolloutGroupWithTargets). */
export function planGroups(state: HbState, rollout: { targetFilterQuery: string; createdAt: number }, plans: GroupPlan[]): string[][] {
  const base = rolloutCandidates(state, rollout.targetFilterQuery, rollout.createdAt);
  const taken = new Set<string>();
  return plans.map((plan, i) => {
    const extra = plan.targetFilterQuery ? compileFilter(plan.targetFilterQuery, targetFields(state)) : () => true;
    const free = base.filter((t) => !taken.has(t.controllerId) && extra(t));
    const expected = Math.round((percentFromRest(plans, i) * free.length) / 100);
    const members = free.slice(0, expected).map((t) => t.controllerId);
    members.forEach((m) => taken.add(m));
    return members;
  });
}

// ---------------------------------------------------------------------------------------------
// Scheduler pass

export interface EngineOptions { now: number; creatingDelayMs: number; approvalRequired: boolean }

/** One scheduler pass over all active rollouts; returns whether anything changed. */
export function schedulerPass(state: HbState, opts: EngineOptions): boolean {
  let changed = false;
  const ids = Object.values(state.rollouts).filter((r) => ACTIVE_ROLLOUT_STATES.includes(r.status)).map((r) => r.id).sort((a, b) => a - b);
  for (const id of ids) {
    const r = lookup(state.rollouts, id);
    if (!r) continue;
    switch (r.status) {
      case 'creating': changed = handleCreating(state, r, opts) || changed; break;
      case 'ready':
        if (r.startAt !== undefined && r.startAt <= opts.now) { r.status = 'starting'; touch(r, opts.now, 'system'); changed = true; }
        break;
      case 'starting': handleStarting(state, r, opts.now); changed = true; break;
      case 'running': changed = handleRunning(state, r, opts.now) || changed; break;
      case 'stopping': handleStopping(state, r, opts.now); changed = true; break;
      case 'deleting': handleDeleting(state, r, opts.now); changed = true; break;
    }
  }
  return changed;
}

/** Evaluates only running rollouts (after device feedback). */
export function evaluateRunning(state: HbState, now: number): boolean {
  let changed = false;
  for (const r of Object.values(state.rollouts)) if (r.status === 'running') changed = handleRunning(state, r, now) || changed;
  return changed;
}

function groupsOf(state: HbState, r: RolloutRec): GroupRec[] {
  return r.groups.map((id) => lookup(state.groups, id)).filter((g): g is GroupRec => g !== undefined);
}

function handleCreating(state: HbState, r: RolloutRec, opts: EngineOptions): boolean {
  if (opts.now - r.createdAt < opts.creatingDelayMs) return false;
  const groups = groupsOf(state, r);
  const members = planGroups(state, r, groups);
  let total = 0;
  groups.forEach((g, i) => {
    g.targets = members[i]!;
    g.totalTargets = g.targets.length;
    g.status = 'ready';
    total += g.totalTargets;
    touch(g, opts.now, 'system');
  });
  r.totalTargets = total;
  r.status = opts.approvalRequired ? 'waiting_for_approval' : 'ready';
  touch(r, opts.now, 'system');
  return true;
}

function handleStarting(state: HbState, r: RolloutRec, now: number): void {
  const groups = groupsOf(state, r);
  for (const g of groups) {
    for (const cid of g.targets) {
      if (!lookup(state.targets, cid)) continue;
      // A newer rollout's scheduled action replaces an older one still waiting (cancelInactiveScheduledActionsForTargets).
      for (const old of Object.values(state.actions)) {
        if (old.controllerId === cid && old.status === 'scheduled' && !old.active) {
          old.status = 'canceled';
          addStatus(state, old, 'canceled', ['Update Server: Scheduled action canceled by a newer rollout.'], now);
        }
      }
      const action: ActionRec = {
        id: nextId(state, 'action'), controllerId: cid, dsId: r.dsId, forceType: r.type, status: 'scheduled', active: false,
        rolloutId: r.id, groupId: g.id, history: [], createdAt: now, createdBy: r.createdBy, lastModifiedAt: now, lastModifiedBy: r.createdBy,
        ...(r.type === 'timeforced' && r.forcetime !== undefined ? { forceTime: r.forcetime } : {}),
        ...(r.weight === undefined ? {} : { weight: r.weight }),
      };
      addStatus(state, action, 'scheduled', ['Update Server: Action scheduled by rollout.'], now);
      state.actions[String(action.id)] = action;
    }
    g.status = 'scheduled';
    touch(g, now, 'system');
  }
  const first = groups[0];
  if (first) startGroup(state, first, now);
  r.status = 'running';
  touch(r, now, 'system');
  const ds = lookup(state.sets, r.dsId);
  if (ds) lockDs(state, ds);
}

function startGroup(state: HbState, g: GroupRec, now: number): void {
  for (const a of groupActions(state, g.id)) if (a.status === 'scheduled' && !a.active) startScheduled(state, a, now);
  g.status = 'running';
  touch(g, now, 'system');
}

/** StartNextGroupRolloutGroupSuccessAction: starts the group after `g` if it is still scheduled. */
export function startNextGroup(state: HbState, r: RolloutRec, g: GroupRec, now: number): boolean {
  const groups = groupsOf(state, r);
  const child = groups[groups.findIndex((x) => x.id === g.id) + 1];
  if (!child || child.status !== 'scheduled') return false;
  startGroup(state, child, now);
  return true;
}

function threshold(expression: string): number | undefined {
  const n = Number.parseInt(expression, 10);
  return Number.isNaN(n) ? undefined : n;
}

function isError(state: HbState, g: GroupRec): boolean {
  if (!g.errorCondition?.condition) return false;
  const t = threshold(g.errorCondition.expression);
  if (t === undefined || g.totalTargets === 0) return false;
  const errors = groupActions(state, g.id).filter((a) => a.status === 'error').length;
  return errors / g.totalTargets > t / 100;
}

export function successMet(state: HbState, r: RolloutRec, g: GroupRec): boolean {
  if (g.totalTargets === 0) return true;
  const t = threshold(g.successCondition.expression);
  if (t === undefined) return false;
  const done = r.type === 'downloadonly' ? 'downloaded' : 'finished';
  const finished = groupActions(state, g.id).filter((a) => a.status === done).length;
  return finished / g.totalTargets >= t / 100;
}

function isComplete(state: HbState, r: RolloutRec, g: GroupRec): boolean {
  const terminal = r.type === 'downloadonly' ? ['error', 'finished', 'canceled', 'downloaded'] : ['error', 'finished', 'canceled'];
  return groupActions(state, g.id).every((a) => terminal.includes(a.status));
}

function hasScheduledAfter(state: HbState, r: RolloutRec, g: GroupRec): boolean {
  const groups = groupsOf(state, r);
  return groups[groups.findIndex((x) => x.id === g.id) + 1]?.status === 'scheduled';
}

function pause(r: RolloutRec, now: number): void {
  if (r.status === 'running') {
    r.status = 'paused';
    touch(r, now, 'system');
  }
}

function handleRunning(state: HbState, r: RolloutRec, now: number): boolean {
  const before = JSON.stringify([r, groupsOf(state, r)]);
  const groups = groupsOf(state, r);
  const running = groups.filter((g) => g.status === 'running');
  if (running.length === 0) {
    const last = lastStarted(groups);
    if (last && groups.some((g) => g.status === 'scheduled')) startNextGroup(state, r, last, now);
  } else {
    for (const g of running) {
      // Deleted targets take their actions with them; the group's total follows (countTargetsFrom).
      const count = groupActions(state, g.id).length;
      if (count !== g.totalTargets) {
        r.totalTargets -= g.totalTargets - count;
        g.totalTargets = count;
      }
      if (isError(state, g)) {
        // Error action PAUSE (the only one hawkBit has): group in error, rollout paused.
        g.status = 'error';
        touch(g, now, 'system');
        pause(r, now);
        continue;
      }
      const complete = isComplete(state, r, g);
      if (complete || successMet(state, r, g)) {
        if (g.successAction.action.toUpperCase() === 'PAUSE') {
          if (hasScheduledAfter(state, r, g)) pause(r, now);
        } else startNextGroup(state, r, g, now);
      }
      if (complete) {
        g.status = 'finished';
        touch(g, now, 'system');
      }
    }
  }
  if (!groupsOf(state, r).some((g) => g.status === 'running' || g.status === 'scheduled') && r.status === 'running') {
    r.status = 'finished';
    touch(r, now, 'system');
  }
  return JSON.stringify([r, groupsOf(state, r)]) !== before;
}

/** The most recently started group (highest id among the non-scheduled ones). */
export function lastStarted(groups: GroupRec[]): GroupRec | undefined {
  return [...groups].reverse().find((g) => g.status !== 'scheduled');
}

function deleteScheduledActions(state: HbState, r: RolloutRec): void {
  for (const [id, a] of Object.entries(state.actions)) if (a.rolloutId === r.id && a.status === 'scheduled') delete state.actions[id];
}

function finishGroups(state: HbState, r: RolloutRec, now: number): void {
  for (const g of groupsOf(state, r)) {
    if (g.status !== 'finished' && g.status !== 'error') { g.status = 'finished'; touch(g, now, 'system'); }
  }
}

function handleStopping(state: HbState, r: RolloutRec, now: number): void {
  deleteScheduledActions(state, r);
  finishGroups(state, r, now);
  for (const a of rolloutActions(state, r.id)) {
    if (a.active && a.status !== 'canceling') {
      a.status = 'canceling';
      addStatus(state, a, 'canceling', ['Update Server: Rollout stopped, action soft canceled.'], now);
      touch(a, now, 'system');
    }
  }
  // Canceling actions no longer count as open: the rollout is stopped once only they remain.
  r.status = 'stopped';
  touch(r, now, 'system');
}

function handleDeleting(state: HbState, r: RolloutRec, now: number): void {
  const actions = rolloutActions(state, r.id);
  if (actions.every((a) => a.status === 'scheduled')) {
    // Nothing ever reached a device: hard delete.
    deleteScheduledActions(state, r);
    for (const g of r.groups) delete state.groups[String(g)];
    delete state.rollouts[String(r.id)];
    return;
  }
  deleteScheduledActions(state, r);
  finishGroups(state, r, now);
  for (const a of rolloutActions(state, r.id)) {
    if (!a.active) continue;
    // Force-quit (≥0.10): the action is closed without asking the device.
    a.active = false;
    a.status = 'canceled';
    addStatus(state, a, 'canceled', ['Update Server: A force quit has been performed.'], now);
    touch(a, now, 'system');
    const target = lookup(state.targets, a.controllerId);
    if (target && target.assignedDs === a.dsId) {
      if (target.installedDs === undefined) delete target.assignedDs;
      else target.assignedDs = target.installedDs;
      target.updateStatus = 'in_sync';
    }
  }
  r.status = 'deleted';
  r.deleted = true;
  touch(r, now, 'system');
}

// ---------------------------------------------------------------------------------------------
// Transitions requested through the Management API (JpaRolloutManagement)

export function startRollout(r: RolloutRec, now: number, user: string): void {
  if (r.status !== 'ready') throw rolloutIllegalState(`Rollout can only be started in state ready but current state is ${r.status}`);
  r.status = 'starting';
  touch(r, now, user);
}

export function pauseRollout(r: RolloutRec, now: number, user: string): void {
  if (r.status !== 'running') throw rolloutIllegalState(`Rollout can only be paused in state running but current state is ${r.status}`);
  r.status = 'paused';
  touch(r, now, user);
}

export function resumeRollout(state: HbState, r: RolloutRec, now: number, user: string): void {
  if (r.status !== 'paused') throw rolloutIllegalState(`Rollout can only be resumed in state paused but current state is ${r.status}`);
  const last = lastStarted(groupsOf(state, r));
  // shouldStartNextGroupOnResume: after an error pause, or after a PAUSE success action whose condition holds.
  if (last && (last.status === 'error' || (last.successAction.action.toUpperCase() === 'PAUSE' && successMet(state, r, last)))) {
    startNextGroup(state, r, last, now);
  }
  r.status = 'running';
  touch(r, now, user);
}

export function triggerNextGroup(state: HbState, r: RolloutRec, now: number): void {
  if (r.status !== 'running') throw rolloutIllegalState('Rollout is not in running state');
  const groups = groupsOf(state, r);
  if (!groups.some((g) => g.status === 'scheduled')) throw rolloutIllegalState('Rollout does not have any groups left to be triggered');
  const last = lastStarted(groups);
  if (!last) throw rolloutIllegalState('Cannot find any started rollout group to trigger next from');
  startNextGroup(state, r, last, now);
}

const STOPPABLE = ['creating', 'ready', 'waiting_for_approval', 'starting', 'running', 'paused', 'approval_denied'];

export function stopRollout(r: RolloutRec, now: number, user: string): void {
  if (!STOPPABLE.includes(r.status)) {
    throw rolloutIllegalState(`Rollout can only be stopped into the following statuses [${STOPPABLE.map((s) => s.toUpperCase()).join(', ')}]`);
  }
  r.status = 'stopping';
  touch(r, now, user);
}

export function decideApproval(r: RolloutRec, approve: boolean, remark: string | undefined, now: number, user: string): void {
  if (r.status !== 'waiting_for_approval') throw rolloutIllegalState('Rollout is not in status WAITING_FOR_APPROVAL');
  r.status = approve ? 'ready' : 'approval_denied';
  r.approveDecidedBy = user;
  if (remark !== undefined) r.approvalRemark = remark;
  touch(r, now, user);
}
