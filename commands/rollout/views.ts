// Human views of the rollout verbs (JSON output carries the whole objects).
import type { View } from '../../src/core/output.js';
import type { CreateResult, PlannedGroup } from '../../src/workflows/rollout/create.js';
import type { RolloutSummary } from '../../src/workflows/rollout/lifecycle.js';

export const PLANNED_GROUPS: View<PlannedGroup> = [
  { header: 'Group', value: (g) => g.name },
  { header: 'Share', value: (g) => `${g.share}%` },
  { header: 'Targets', value: (g) => g.expectedTargets },
  { header: 'After success', value: (g) => g.successAction },
  { header: 'Sent %', value: (g) => g.targetPercentage, wide: true },
];

export const CREATED: View<CreateResult> = [
  { header: 'Rollout', value: (r) => `${r.name} (id ${r.id})` },
  { header: 'Status', value: (r) => r.status },
  { header: 'Distribution set', value: (r) => `${r.distributionSet.name}:${r.distributionSet.version}` },
  { header: 'Targets', value: (r) => r.matchingTargets },
  { header: 'Groups', value: (r) => r.groupsCreated.map((g) => `${g.name}=${g.totalTargets}`).join(' ') },
];

export const SUMMARY: View<RolloutSummary> = [
  { header: 'ID', value: (r) => r.id },
  { header: 'Name', value: (r) => r.name },
  { header: 'Status', value: (r) => r.status },
  { header: 'DS', value: (r) => r.distributionSetId },
  { header: 'Targets', value: (r) => r.totalTargets },
  { header: 'Finished', value: (r) => r.finished },
  { header: 'Errors', value: (r) => r.error },
  { header: 'Groups', value: (r) => r.groups },
  { header: 'Filter', value: (r) => r.targetFilterQuery, wide: true },
  { header: 'Created', value: (r) => r.createdAt, wide: true },
];
