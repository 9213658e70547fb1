// Assignments and action state transitions, shared by the Management API, the DDI and the
// rollout engine. Semantics of hawkBit 1.1 (JpaDeploymentManagement, JpaControllerManagement,
// DeploymentHelper): one active update per target (multi-assignment off), a new assignment
// soft-cancels the target's open actions, device feedback closes actions and moves the target's
// `updateStatus`, assigned and installed distribution set.
import { HbError, incompleteDs, invalidDs, notCancelable, notForceQuitable } from './errors.js';
import {
  lookup, nextId, touch,
  type ActionRec, type ActionStatusValue, type DsRec, type ForceType, type HbState, type MaintenanceWindow, type TargetRec,
} from './state.js';

export const FORCE_TYPES: readonly ForceType[] = ['soft', 'forced', 'timeforced', 'downloadonly'];

/**
 * The implicit lock (JpaDistributionSetManagement.isImplicitLockApplicable + lock): the first
 * assignment, rollout or auto-assignment of a set locks it and its software modules, so a release
 * in use cannot change (module edits and artifact uploads answer 423 from then on).
 */
export function lockDs(state: HbState, ds: DsRec): void {
  ds.locked = true;
  for (const id of ds.modules) {
    const m = lookup(state.modules, id);
    if (m) m.locked = true;
  }
}

/** Mandatory module types present and not invalidated: what assignment and rollouts require. */
export function assertAssignable(state: HbState, ds: DsRec): void {
  if (!ds.valid) throw invalidDs();
  if (!isComplete(state, ds)) throw incompleteDs();
}

export function isComplete(state: HbState, ds: DsRec): boolean {
  const type = lookup(state.dsTypes, ds.typeId);
  const present = new Set(ds.modules.map((m) => lookup(state.modules, m)?.typeId));
  return (type?.mandatory ?? []).every((t) => present.has(t));
}

export function addStatus(state: HbState, action: ActionRec, type: ActionStatusValue, messages: string[], now: number, timestamp = now, code?: number): void {
  const entry = { id: nextId(state, 'actionStatus'), type, messages, reportedAt: now, timestamp, ...(code === undefined ? {} : { code }) };
  action.history.push(entry);
}

/** Active actions of a target, oldest first (the DDI serves the oldest one). */
export function activeActions(state: HbState, controllerId: string): ActionRec[] {
  return Object.values(state.actions).filter((a) => a.controllerId === controllerId && a.active).sort((a, b) => a.id - b.id);
}

export interface AssignParams {
  type: ForceType;
  forcetime?: number;
  weight?: number;
  maintenanceWindow?: MaintenanceWindow;
}

/**
 * Assigns `ds` to `target` (online assignment). `undefined` when the target already has this
 * set assigned (counted as `alreadyAssigned`, no new action).
 */
export function assign(state: HbState, target: TargetRec, ds: DsRec, p: AssignParams, user: string, now: number): ActionRec | undefined {
  if (target.assignedDs === ds.id) return undefined;
  overrideOpenActions(state, target.controllerId, now, user);
  const action: ActionRec = {
    id: nextId(state, 'action'), controllerId: target.controllerId, dsId: ds.id, forceType: p.type,
    status: 'running', active: true, history: [],
    createdAt: now, createdBy: user, lastModifiedAt: now, lastModifiedBy: user,
    ...(p.type === 'timeforced' && p.forcetime !== undefined ? { forceTime: p.forcetime } : {}),
    ...(p.weight === undefined ? {} : { weight: p.weight }),
    ...(p.maintenanceWindow ? { maintenanceWindow: p.maintenanceWindow } : {}),
  };
  addStatus(state, action, 'running', [`Assignment initiated by user '${user}'`], now);
  state.actions[String(action.id)] = action;
  setAssigned(target, ds.id, now, user);
  return action;
}

/** Starts a scheduled rollout action (StartNextGroup / first group): active, running, target pending. */
export function startScheduled(state: HbState, action: ActionRec, now: number): void {
  const target = lookup(state.targets, action.controllerId);
  if (!target) return;
  if (target.assignedDs === action.dsId) {
    // closeActionIfSetWasAlreadyAssigned: nothing to do on the device, the action is closed.
    action.status = 'finished';
    action.active = false;
    addStatus(state, action, 'finished', ['Update Server: Distribution Set is already assigned. Skipping this action.'], now);
    touch(action, now, 'system');
    return;
  }
  overrideOpenActions(state, target.controllerId, now, 'system');
  action.active = true;
  action.status = 'running';
  addStatus(state, action, 'running', ['Update Server: Starting rollout group action.'], now);
  touch(action, now, 'system');
  setAssigned(target, action.dsId, now, 'system');
}

function setAssigned(target: TargetRec, dsId: number, now: number, user: string): void {
  target.assignedDs = dsId;
  target.updateStatus = 'pending';
  touch(target, now, user);
}

/** A new assignment soft-cancels the target's open update actions ("overrideObsoleteUpdateActions"). */
function overrideOpenActions(state: HbState, controllerId: string, now: number, user: string): void {
  for (const open of activeActions(state, controllerId)) {
    if (open.status === 'canceling') continue;
    open.status = 'canceling';
    addStatus(state, open, 'canceling', ['Update Server: cancel obsolete action due to new update'], now);
    touch(open, now, user);
  }
}

/** Management soft cancel: the device has to confirm through DDI cancelAction feedback. */
export function softCancel(state: HbState, action: ActionRec, now: number, user: string): void {
  if (!action.active || action.status === 'canceling') throw notCancelable();
  action.status = 'canceling';
  addStatus(state, action, 'canceling', [`Update Server: cancel action requested by user '${user}'`], now);
  touch(action, now, user);
}

/** Force quit: only an action already `canceling` and still active. */
export function forceQuit(state: HbState, action: ActionRec, now: number, user: string): void {
  if (!action.active || action.status !== 'canceling') throw notForceQuitable();
  finishCancellation(state, action, now, user, 'Update Server: A force quit has been performed.');
}

/** DeploymentHelper.successCancellation: closes the action, the target falls back to its next open action or its installed set. */
export function finishCancellation(state: HbState, action: ActionRec, now: number, user: string, message: string): void {
  action.active = false;
  action.status = 'canceled';
  addStatus(state, action, 'canceled', [message], now);
  touch(action, now, user);
  const target = lookup(state.targets, action.controllerId);
  if (!target) return;
  finishCancellationState(state, action, target);
  touch(target, now, user);
}

export interface Feedback {
  execution: string;
  finished: string;
  code?: number;
  details: string[];
  timestamp?: number;
}

export const EXECUTIONS = ['closed', 'proceeding', 'canceled', 'scheduled', 'rejected', 'resumed', 'downloaded', 'download'];
export const RESULTS = ['success', 'failure', 'none'];

/** DDI deploymentBase feedback (DdiRootController.generateUpdateStatus + onActionStatusUpdate). */
export function updateFeedback(state: HbState, action: ActionRec, fb: Feedback, now: number): void {
  const messages = [...fb.details];
  if (fb.code !== undefined) messages.push(`Device reported status code: ${fb.code}`);
  const orDefault = (text: string): string[] => (messages.length > 0 ? messages : [text]);
  let status: ActionStatusValue;
  let text: string[];
  switch (fb.execution) {
    case 'canceled': status = 'canceled'; text = orDefault('Target confirmed cancellation.'); break;
    case 'rejected': status = 'warning'; text = orDefault('Target REJECTED update'); break;
    case 'closed':
      status = fb.finished === 'failure' ? 'error' : 'finished';
      text = orDefault(fb.finished === 'failure' ? 'Target reported CLOSED with ERROR!' : 'Target reported CLOSED with OK!');
      break;
    case 'download': status = 'download'; text = orDefault('Target confirmed download start'); break;
    case 'downloaded': status = 'downloaded'; text = orDefault('Target confirmed download finished'); break;
    default: status = 'running'; text = orDefault(`Target reported ${fb.execution.toUpperCase()}`);
  }
  addStatus(state, action, status, text, now, fb.timestamp ?? now, fb.code);
  if (fb.code !== undefined) action.lastStatusCode = fb.code;
  action.status = status;
  touch(action, now, action.controllerId);
  const target = lookup(state.targets, action.controllerId);
  if (!target) return;
  if (status === 'error') {
    action.active = false;
    target.updateStatus = 'error';
    delete target.assignedDs;
  } else if (status === 'finished') {
    action.active = false;
    const ts = fb.timestamp ?? now;
    if (target.installedAt === undefined || target.installedAt < ts) {
      target.installedDs = action.dsId;
      target.installedAt = ts;
      if (action.forceType === 'downloadonly') target.assignedDs = action.dsId;
      if (target.assignedDs === target.installedDs) target.updateStatus = 'in_sync';
    }
    target.requestAttributes = true; // hawkBit asks for fresh attributes after an installation
  } else if (status === 'downloaded' && action.forceType === 'downloadonly') {
    action.active = false;
    target.updateStatus = 'in_sync';
    target.requestAttributes = true;
  } else if (status === 'canceled') {
    finishCancellationState(state, action, target);
  }
  touch(target, now, target.controllerId);
}

function finishCancellationState(state: HbState, action: ActionRec, target: TargetRec): void {
  action.active = false;
  const next = activeActions(state, target.controllerId)[0];
  if (next) target.assignedDs = next.dsId;
  else {
    if (target.installedDs === undefined) delete target.assignedDs;
    else target.assignedDs = target.installedDs;
    target.updateStatus = 'in_sync';
  }
}

/** DDI cancelAction feedback (JpaControllerManagement.addCancelActionStatus). */
export function cancelFeedback(state: HbState, action: ActionRec, fb: Feedback, now: number): void {
  if (action.status !== 'canceling' && action.status !== 'canceled') throw notCancelable();
  const messages = [...fb.details];
  if (fb.code !== undefined) messages.push(`Device reported status code: ${fb.code}`);
  let type: ActionStatusValue;
  if (fb.execution === 'closed') type = fb.finished === 'failure' ? 'error' : 'canceled';
  else if (fb.execution === 'rejected') type = 'cancel_rejected';
  else if (fb.execution === 'canceled') type = 'warning';
  else type = 'running';
  if (type === 'canceled') {
    messages.push('Update Server: Cancellation completion is finished successfully.');
    addStatus(state, action, 'canceled', messages, now, fb.timestamp ?? now, fb.code);
    action.status = 'canceled';
    const target = lookup(state.targets, action.controllerId);
    if (target) {
      finishCancellationState(state, action, target);
      touch(target, now, target.controllerId);
    } else action.active = false;
  } else {
    addStatus(state, action, type, messages.length > 0 ? messages : [`Target reported ${fb.execution.toUpperCase()}`], now, fb.timestamp ?? now, fb.code);
    // Cancellation rejected: back to running; informational entries leave the action canceling.
    if (type === 'error' || type === 'cancel_rejected') action.status = 'running';
  }
  if (fb.code !== undefined) action.lastStatusCode = fb.code;
  touch(action, now, action.controllerId);
}

/** The action a target's DDI poll points at, or the 404 the DDI answers for `actionId`. */
export function targetAction(state: HbState, controllerId: string, actionId: number): ActionRec {
  const action = lookup(state.actions, actionId);
  if (!action || action.controllerId !== controllerId) {
    throw new HbError(404, 'org.eclipse.hawkbit.repository.exception.EntityNotFoundException', 'hawkbit.server.error.repo.entityNotFound',
      action ? `Not a valid action (${actionId}) for target: ${controllerId}` : `Action with given identifier {${actionId}} does not exist.`,
      action ? undefined : { type: 'Action', entityId: String(actionId) });
  }
  return action;
}
