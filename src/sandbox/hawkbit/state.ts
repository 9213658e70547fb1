// The hawkBit emulator's persistent state (one JSON document) and the tenant defaults a fresh
// hawkBit 1.x tenant starts with. Artifact binaries live beside it (see blobs.ts), not in it:
// the document is rewritten on every committed change.

export interface Audit {
  createdAt: number;
  createdBy: string;
  lastModifiedAt: number;
  lastModifiedBy: string;
}

/** Target `updateStatus` values (lower-case in JSON, as hawkBit serialises them). */
export type UpdateStatus = 'unknown' | 'registered' | 'pending' | 'in_sync' | 'error';

export interface TargetRec extends Audit {
  controllerId: string;
  name: string;
  description?: string;
  address?: string;
  securityToken: string;
  /** true asks the device (DDI `configData` link) to send its attributes; new targets start with true. */
  requestAttributes: boolean;
  updateStatus: UpdateStatus;
  attributes: Record<string, string>;
  lastControllerRequestAt?: number;
  installedAt?: number;
  assignedDs?: number;
  installedDs?: number;
  /** ≥0.10: free-text hierarchical group. */
  group?: string;
  tags: number[];
}

export interface TagRec extends Audit { id: number; name: string; description?: string; colour?: string }

export interface SmTypeRec extends Audit { id: number; key: string; name: string; description?: string; colour?: string; maxAssignments: number; deleted: boolean }

export interface DsTypeRec extends Audit { id: number; key: string; name: string; description?: string; colour?: string; mandatory: number[]; optional: number[]; deleted: boolean }

export interface ArtifactRec extends Audit { id: number; moduleId: number; filename: string; size: number; md5: string; sha1: string; sha256: string }

export interface ModuleRec extends Audit {
  id: number; name: string; version: string; typeId: number; description?: string; vendor?: string;
  encrypted: boolean; locked: boolean; deleted: boolean; artifacts: number[];
}

export interface DsRec extends Audit {
  id: number; name: string; version: string; typeId: number; description?: string; modules: number[];
  requiredMigrationStep: boolean; locked: boolean; deleted: boolean; valid: boolean; tags: number[];
}

export interface FilterRec extends Audit {
  id: number; name: string; query: string;
  autoAssign?: { dsId: number; type: ForceType; weight?: number; confirmationRequired?: boolean };
}

export type ForceType = 'soft' | 'forced' | 'timeforced' | 'downloadonly';

/** Action status values (`MgmtAction.status` in ≥0.10, `ActionStatus.type`). */
export type ActionStatusValue =
  | 'finished' | 'error' | 'warning' | 'running' | 'canceled' | 'canceling' | 'retrieved'
  | 'download' | 'scheduled' | 'cancel_rejected' | 'downloaded' | 'wait_for_confirmation';

export interface StatusEntry { id: number; type: ActionStatusValue; messages: string[]; reportedAt: number; timestamp: number; code?: number }

export interface MaintenanceWindow { schedule: string; duration: string; timezone: string }

export interface ActionRec extends Audit {
  id: number;
  controllerId: string;
  dsId: number;
  forceType: ForceType;
  forceTime?: number;
  status: ActionStatusValue;
  active: boolean;
  weight?: number;
  rolloutId?: number;
  groupId?: number;
  lastStatusCode?: number;
  maintenanceWindow?: MaintenanceWindow;
  history: StatusEntry[];
}

export type RolloutStatus =
  | 'creating' | 'waiting_for_approval' | 'approval_denied' | 'ready' | 'starting' | 'running'
  | 'paused' | 'stopping' | 'stopped' | 'finished' | 'deleting' | 'deleted';

export type GroupStatus = 'creating' | 'ready' | 'scheduled' | 'running' | 'finished' | 'error';

export interface Condition { condition: string; expression: string }
export interface ActionSpec { action: string; expression: string }

export interface Conditions {
  successCondition: Condition;
  successAction: ActionSpec;
  errorCondition: Condition;
  errorAction: ActionSpec;
}

export interface GroupRec extends Audit, Conditions {
  id: number;
  rolloutId: number;
  name: string;
  description?: string;
  status: GroupStatus;
  targetPercentage: number;
  targetFilterQuery: string;
  confirmationRequired: boolean;
  totalTargets: number;
  /** Members in the order they were drawn (controllerIds). */
  targets: string[];
}

export interface RolloutRec extends Audit {
  id: number;
  name: string;
  description?: string;
  dsId: number;
  targetFilterQuery: string;
  type: ForceType;
  forcetime?: number;
  startAt?: number;
  weight?: number;
  confirmationRequired: boolean;
  status: RolloutStatus;
  totalTargets: number;
  groups: number[];
  deleted: boolean;
  approvalRemark?: string;
  approveDecidedBy?: string;
}

/** Tenant configuration keys the emulator honours (hawkBit `PUT /rest/v1/system/configs/{key}`). */
export interface TenantConfig {
  'authentication.targettoken.enabled': boolean;
  'authentication.gatewaytoken.enabled': boolean;
  'authentication.gatewaytoken.key': string;
  'pollingTime': string;
}

export interface HbState {
  seq: Record<string, number>;
  targets: Record<string, TargetRec>;
  tags: Record<string, TagRec>;
  smTypes: Record<string, SmTypeRec>;
  dsTypes: Record<string, DsTypeRec>;
  modules: Record<string, ModuleRec>;
  artifacts: Record<string, ArtifactRec>;
  sets: Record<string, DsRec>;
  filters: Record<string, FilterRec>;
  actions: Record<string, ActionRec>;
  rollouts: Record<string, RolloutRec>;
  groups: Record<string, GroupRec>;
  config: TenantConfig;
  /** Id of the tenant default DS type (hawkBit: `os_app`). */
  defaultDsType: number;
}

export function nextId(state: HbState, kind: string): number {
  const id = (state.seq[kind] ?? 0) + 1;
  state.seq[kind] = id;
  return id;
}

/** Own-property lookup, so a controllerId like `__proto__` or `constructor` is just a name. */
export function lookup<T>(table: Record<string, T>, key: string | number): T | undefined {
  const k = String(key);
  return Object.hasOwn(table, k) ? table[k] : undefined;
}

/** Own-property write (plain assignment to `__proto__` would change the prototype instead). */
export function setEntry<T>(table: Record<string, T>, key: string | number, value: T): void {
  const k = String(key);
  // Only `__proto__` is an accessor on Object.prototype; assignment is far cheaper on a large table.
  if (k === '__proto__') Object.defineProperty(table, k, { value, enumerable: true, writable: true, configurable: true });
  else table[k] = value;
}

export function audit(now: number, user: string): Audit {
  return { createdAt: now, createdBy: user, lastModifiedAt: now, lastModifiedBy: user };
}

export function touch(rec: Audit, now: number, user: string): void {
  rec.lastModifiedAt = now;
  rec.lastModifiedBy = user;
}

/**
 * A fresh tenant as hawkBit 1.x creates it: SM types `os` and `application` (the types CDM's
 * OTA docs use, §5.3/§5.4 of cdm-platform.md), DS types `os`, `app` and `os_app` (tenant default).
 */
export function seedState(now: number, pollingTime: string): HbState {
  const state: HbState = {
    seq: {}, targets: {}, tags: {}, smTypes: {}, dsTypes: {}, modules: {}, artifacts: {}, sets: {}, filters: {},
    actions: {}, rollouts: {}, groups: {},
    config: {
      // The sandbox enables target-token DDI auth so that devices can talk at all: the CDM stack
      // enables no DDI auth mode (cdm-platform.md §5.1), which leaves every device poll at 401.
      'authentication.targettoken.enabled': true,
      'authentication.gatewaytoken.enabled': false,
      'authentication.gatewaytoken.key': '',
      pollingTime,
    },
    defaultDsType: 0,
  };
  const sys = audit(now, 'system');
  const smType = (key: string, name: string, description: string, maxAssignments: number): SmTypeRec => {
    const rec: SmTypeRec = { id: nextId(state, 'smType'), key, name, description, maxAssignments, deleted: false, ...sys };
    setEntry(state.smTypes, rec.id, rec);
    return rec;
  };
  // Creation order and texts of hawkBit 1.1's JpaSystemManagement.createStandardSoftwareDataSetup.
  const app = smType('application', 'Application', 'Application Addons', 2147483647);
  const os = smType('os', 'OS', 'Core firmware or operating system', 1);
  const dsType = (key: string, name: string, description: string, mandatory: number[], optional: number[]): DsTypeRec => {
    const rec: DsTypeRec = { id: nextId(state, 'dsType'), key, name, description, mandatory, optional, deleted: false, ...sys };
    setEntry(state.dsTypes, rec.id, rec);
    return rec;
  };
  dsType('os', 'OS only', 'Default type with Firmware/OS only.', [os.id], []);
  dsType('app', 'App(s) only', 'Default type with app(s) only.', [app.id], []);
  state.defaultDsType = dsType('os_app', 'OS with app(s)', 'Default type with Firmware/OS and optional app(s).', [os.id], [app.id]).id;
  return state;
}
