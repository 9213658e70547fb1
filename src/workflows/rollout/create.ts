// `cdm rollout create` and `cdm rollout canary`: validate locally, count the matching targets,
// plan the groups, then create (and start) the rollout. Everything that can be refused locally is
// refused before the first request; the plan (and --dry-run) needs only read requests.
import { ConflictError, UsageError } from '../../core/errors.js';
import type { Plan } from '../../core/command-spec.js';
import type { Factory } from '../../core/factory.js';
import { hawkbitErrorKey } from '../../services/hawkbit/errors.js';
import type { DistributionSet, ForceType, Rollout, RolloutCreate, RolloutGroup } from '../../services/hawkbit/types.js';
import { connectHawkbit, type Hawkbit } from './connect.js';
import { expectedCounts, groupBodies, groupNames } from './groups.js';
import { resolveDs, rolloutRef } from './resolve.js';
import { waitForStatus } from './wait.js';
import { count } from '../../core/plural.js';

export interface CreateInput {
  name: string;
  ds: string;
  target: string;
  shares: number[];
  successThreshold: number;
  errorThreshold: number;
  action: ForceType;
  forcetime?: number;
  start: boolean;
  /** The first group pauses the rollout when it succeeds. */
  canary: boolean;
}

export interface PlannedGroup {
  name: string;
  share: number;
  /** What is sent as targetPercentage (see groups.ts for why). */
  targetPercentage: number;
  expectedTargets: number;
  successAction: string;
}

export interface RolloutPlanData {
  name: string;
  distributionSet: { id: number; name: string; version: string };
  target: string;
  matchingTargets: number;
  action: ForceType;
  groups: PlannedGroup[];
}

export interface CreateResult extends RolloutPlanData {
  id: number;
  status: string;
  started: boolean;
  /** Canary only: how the rollout is held after the canary. */
  hold?: 'pause-success-action' | 'paused-after-start';
  groupsCreated: Array<{ name: string; totalTargets: number }>;
  warnings: string[];
}

function body(input: CreateInput, ds: DistributionSet, pauseAfterCanary: boolean): RolloutCreate {
  const names = groupNames(input.shares.length, input.canary);
  return {
    name: input.name,
    distributionSetId: ds.id,
    targetFilterQuery: input.target,
    type: input.action,
    ...(input.action === 'timeforced' && input.forcetime !== undefined ? { forcetime: input.forcetime } : {}),
    successCondition: { condition: 'THRESHOLD', expression: String(input.successThreshold) },
    successAction: { action: 'NEXTGROUP', expression: '' },
    errorCondition: { condition: 'THRESHOLD', expression: String(input.errorThreshold) },
    errorAction: { action: 'PAUSE', expression: '' },
    groups: groupBodies({
      shares: input.shares, names, successThreshold: input.successThreshold, errorThreshold: input.errorThreshold,
      ...(pauseAfterCanary ? { firstSuccessAction: 'PAUSE' as const } : {}),
    }),
  };
}

/**
 * Read-only: refuses a name in use, resolves the DS, counts the matching targets and computes each
 * group's size.
 */
export async function planRollout(hb: Hawkbit, input: CreateInput): Promise<RolloutPlanData> {
  // hawkBit's rollout names are unique (409 on create); said before anything is created. A clash
  // that differs only in case (hawkBit's database may ignore it) comes back as the 409 below.
  const [taken] = await hb.rollouts.findByName(input.name);
  if (taken) {
    throw new ConflictError(`a rollout named ${input.name} exists already (id ${taken.id}, ${taken.status}); hawkBit's rollout names are unique`, {
      service: 'hawkbit', hint: `choose another name; cdm rollout status ${rolloutRef(taken)} shows the existing one`,
    });
  }
  const ds = await resolveDs(hb, input.ds);
  const matching = await hb.client.countTargets(input.target);
  const counts = expectedCounts(matching, input.shares);
  const wire = body(input, ds, input.canary).groups!;
  return {
    name: input.name,
    distributionSet: { id: ds.id, name: ds.name, version: ds.version },
    target: input.target,
    matchingTargets: matching,
    action: input.action,
    groups: wire.map((g, i) => ({ name: g.name, share: input.shares[i]!, targetPercentage: g.targetPercentage, expectedTargets: counts[i]!, successAction: g.successAction!.action })),
  };
}

export function planSteps(p: RolloutPlanData, input: CreateInput): Plan {
  return {
    summary: `create rollout ${p.name} of ${p.distributionSet.name}:${p.distributionSet.version} to ${count(p.matchingTargets, 'target')} in ${count(p.groups.length, 'group')}${input.start ? ', and start it' : ''}`,
    steps: [
      ...p.groups.map((g) => ({
        action: 'group', target: `${g.name}: ${g.share}% → ${count(g.expectedTargets, 'target')}`, service: 'hawkbit',
        details: { targetPercentage: g.targetPercentage, successAction: g.successAction, successThreshold: input.successThreshold, errorThreshold: input.errorThreshold },
      })),
      { action: 'create', target: `rollout ${p.name} (filter ${p.target}, action ${p.action})`, service: 'hawkbit' },
      ...(input.start ? [{ action: 'start', target: `rollout ${p.name}`, service: 'hawkbit' }] : []),
    ],
  };
}

export async function planCreate(f: Factory, input: CreateInput): Promise<{ plan: Plan; data: RolloutPlanData }> {
  const hb = await connectHawkbit(f);
  const data = await planRollout(hb, input);
  return { plan: planSteps(data, input), data };
}

export async function createRollout(f: Factory, input: CreateInput): Promise<CreateResult> {
  return createWith(f, await connectHawkbit(f), input);
}

/** The create itself, on a given client (unit tests hand in a fake hawkBit). */
export async function createWith(f: Pick<Factory, 'sleep' | 'clock'>, hb: Hawkbit, input: CreateInput): Promise<CreateResult> {
  const data = await planRollout(hb, input);
  if (data.matchingTargets === 0) throw new UsageError(`no target matches ${input.target}; nothing was created`);
  const warnings: string[] = [];
  let rollout: Rollout;
  let hold: CreateResult['hold'];
  try {
    rollout = await hb.rollouts.create(body(input, await hb.software.getDs(data.distributionSet.id), input.canary));
    if (input.canary) hold = 'pause-success-action';
  } catch (err) {
    if (hawkbitErrorKey(err)?.includes('entityalreadyexists')) throw nameHeld(input.name);
    // hawkBit before 0.10 has no success action PAUSE: Jackson refuses the enum value (notReadable).
    if (!input.canary || !hawkbitErrorKey(err)?.includes('notreadable')) throw err;
    warnings.push('this hawkBit refuses the success action PAUSE (it is older than 0.10): the canary is held by pausing the whole rollout right after it starts; the canary devices still update, later groups wait for `cdm rollout expand`');
    rollout = await hb.rollouts.create(body(input, await hb.software.getDs(data.distributionSet.id), false));
    hold = 'paused-after-start';
  }
  rollout = await waitForStatus(f, hb, rollout.id, ['creating'], 'filling the groups');
  const groups = await hb.rollouts.groups(rollout.id);
  warnings.push(...countWarnings(data, groups));
  let started = false;
  if (input.start) {
    if (rollout.status === 'waiting_for_approval') {
      warnings.push(`rollout ${rollout.id} waits for approval (hawkBit's approval workflow is on): it was not started; approve and start it in hawkBit`);
    } else {
      await hb.rollouts.op(rollout.id, 'start');
      started = true;
      rollout = await waitForStatus(f, hb, rollout.id, ['ready', 'starting'], 'starting');
      if (hold === 'paused-after-start' && rollout.status === 'running') {
        await hb.rollouts.op(rollout.id, 'pause');
        rollout = await hb.rollouts.get(rollout.id);
      }
    }
  }
  return {
    ...data, id: rollout.id, status: rollout.status, started, ...(hold ? { hold } : {}),
    groupsCreated: groups.map((g) => ({ name: g.name, totalTargets: g.totalTargets })), warnings,
  };
}

/**
 * The name was free when planned: taken meanwhile, or held by a deleted rollout that reached
 * devices (hawkBit keeps those, soft-deleted and unlisted, with their names).
 */
function nameHeld(name: string): ConflictError {
  return new ConflictError(`hawkBit refused the name ${name}: a rollout of that name exists (created meanwhile, or deleted after it reached devices: hawkBit keeps those with their names)`, {
    service: 'hawkbit', status: 409, hint: 'choose another name',
  });
}

/** hawkBit filled the groups itself: say so when its counts differ from the plan. */
function countWarnings(plan: RolloutPlanData, groups: RolloutGroup[]): string[] {
  const got = groups.map((g) => g.totalTargets);
  const want = plan.groups.map((g) => g.expectedTargets);
  if (got.length === want.length && got.every((n, i) => n === want[i])) return [];
  return [`hawkBit filled the groups with ${got.join('/')} targets where ${want.join('/')} were expected (this server reads group percentages differently, or targets changed meanwhile)`];
}
