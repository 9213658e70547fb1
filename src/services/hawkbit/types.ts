// Shapes of the hawkBit Management API (1.x field names; ≤0.9 differences noted where they matter).
// Types only: imported by command files on the startup path.

/** The `PagedList` envelope of every collection GET; `size` is the number of items in this page. */
export interface Paged<T> {
  content: T[];
  total: number;
  size: number;
}

export interface PageQuery {
  /** FIQL filter (`q`). */
  q?: string;
  /** Absolute row offset (not a page index). */
  offset?: number;
  /** Rows per page; hawkBit clamps it to 500. */
  limit?: number;
  sort?: string;
  /** `full` adds per-status totals (rollouts, groups) and links (actions). */
  representation?: 'compact' | 'full';
}

export type ForceType = 'soft' | 'forced' | 'timeforced' | 'downloadonly';

export interface Target {
  controllerId: string;
  name: string;
  description?: string;
  updateStatus: 'unknown' | 'in_sync' | 'pending' | 'error' | 'registered' | string;
  lastControllerRequestAt?: number;
  installedAt?: number;
  ipAddress?: string;
  address?: string;
  securityToken?: string;
  group?: string;
  createdAt?: number;
  lastModifiedAt?: number;
}

export interface SoftwareModule {
  id: number;
  name: string;
  version: string;
  type: string;
  typeName?: string;
  description?: string;
  vendor?: string;
  locked?: boolean;
  deleted?: boolean;
}

export interface Artifact {
  id: number;
  providedFilename: string;
  size: number;
  hashes: { sha1?: string; md5?: string; sha256?: string };
}

export interface DistributionSet {
  id: number;
  name: string;
  version: string;
  type?: string;
  description?: string;
  complete?: boolean;
  locked?: boolean;
  deleted?: boolean;
  valid?: boolean;
  modules?: SoftwareModule[];
}

/** Action (1.x: `active` + detailed `status`; ≤0.9: status pending|finished + `detailStatus`). */
export interface Action {
  id: number;
  type: 'update' | 'cancel' | string;
  active?: boolean;
  status: string;
  detailStatus?: string;
  forceType?: ForceType;
  rollout?: number;
  rolloutName?: string;
  lastStatusCode?: number;
  createdAt?: number;
  lastModifiedAt?: number;
  _links?: Record<string, { href: string; name?: string }>;
}

export interface AssignmentResult {
  assigned: number;
  alreadyAssigned: number;
  total: number;
  assignedActions?: Array<{ id: number }>;
}

export type RolloutStatus =
  | 'creating' | 'waiting_for_approval' | 'approval_denied' | 'ready' | 'starting' | 'running' | 'paused'
  | 'stopping' | 'stopped' | 'finished' | 'deleting' | 'deleted' | 'error_creating' | 'error_starting';

/** `totalTargetsPerStatus` keys (hawkBit spells `cancelled` here, `canceled` on actions). */
export interface PerStatus {
  scheduled: number;
  running: number;
  error: number;
  finished: number;
  cancelled: number;
  notstarted: number;
}

export interface Condition { condition: 'THRESHOLD'; expression: string }
export interface SuccessAction { action: 'NEXTGROUP' | 'PAUSE'; expression: string }
export interface ErrorAction { action: 'PAUSE'; expression: string }

export interface Rollout {
  id: number;
  name: string;
  description?: string;
  status: RolloutStatus | string;
  targetFilterQuery: string;
  distributionSetId: number;
  totalTargets: number;
  totalGroups?: number;
  totalTargetsPerStatus?: PerStatus;
  type?: ForceType;
  forcetime?: number;
  startAt?: number | null;
  createdAt?: number;
  lastModifiedAt?: number;
}

export interface RolloutGroup {
  id: number;
  name: string;
  description?: string;
  status: 'creating' | 'ready' | 'scheduled' | 'running' | 'finished' | 'error' | string;
  targetPercentage?: number;
  targetFilterQuery?: string;
  totalTargets: number;
  successCondition?: Condition;
  successAction?: SuccessAction;
  errorCondition?: Condition;
  errorAction?: ErrorAction;
  totalTargetsPerStatus?: PerStatus;
  createdAt?: number;
  lastModifiedAt?: number;
}

/** One group of a RolloutCreate body (`MgmtRolloutGroup`). Only fields hawkBit reads. */
export interface GroupCreate {
  name: string;
  description?: string;
  targetPercentage: number;
  targetFilterQuery?: string;
  successCondition?: Condition;
  successAction?: SuccessAction;
  errorCondition?: Condition;
  errorAction?: ErrorAction;
}

/** RolloutCreate (`MgmtRolloutRestRequestBodyPost`). Only fields hawkBit reads (cdm-platform §5.4). */
export interface RolloutCreate {
  name: string;
  description?: string;
  distributionSetId: number;
  targetFilterQuery: string;
  type?: ForceType;
  forcetime?: number;
  startAt?: number;
  successCondition?: Condition;
  successAction?: SuccessAction;
  errorCondition?: Condition;
  errorAction?: ErrorAction;
  groups?: GroupCreate[];
  amountGroups?: number;
}
