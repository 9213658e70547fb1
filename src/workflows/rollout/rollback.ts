// `cdm rollout rollback`: hawkBit never rolls back by itself (cdm-platform §5.3), so for every
// device whose update in this rollout FAILED, assign again the distribution set still installed
// on it (the update failed, so installedDS is the previous release). Devices with nothing
// installed before, or already back on it, are reported and left alone.
import { PartialFailure } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { ForceType, Rollout } from '../../services/hawkbit/types.js';
import { connectHawkbit, type Hawkbit } from './connect.js';
import { canaryActions } from './gate.js';
import { resolveRollout } from './resolve.js';
import { count } from '../../core/plural.js';

export interface RollbackItem {
  device: string;
  /** The release that failed. */
  from: string;
  /** The release assigned back. */
  to?: string;
  toId?: number;
  result: 'planned' | 'assigned' | 'already-assigned' | 'skipped' | 'failed';
  reason?: string;
}

export interface RollbackReport {
  rollout: { id: number; name: string; status: string };
  action: ForceType;
  items: RollbackItem[];
}

/** Read-only: the failed devices of the rollout and what each would go back to. */
export async function planRollback(hb: Hawkbit, rollout: Rollout): Promise<RollbackItem[]> {
  const ds = await hb.software.getDs(rollout.distributionSetId);
  const from = `${ds.name}:${ds.version}`;
  const all = [];
  for await (const a of hb.rollouts.actions(rollout.id)) all.push(a);
  const failed = [...new Set(canaryActions(all).filter((a) => a.status === 'error').map((a) => a.target))].sort();
  const items: RollbackItem[] = [];
  for (const device of failed) {
    const installed = await hb.client.targetInstalledDs(device);
    if (!installed) items.push({ device, from, result: 'skipped', reason: 'nothing was installed before this rollout' });
    else if (installed.id === ds.id) items.push({ device, from, result: 'skipped', reason: `${from} is installed (it did not fail for good)` });
    else items.push({ device, from, to: `${installed.name}:${installed.version}`, toId: installed.id, result: 'planned' });
  }
  return items;
}

export async function rollbackPlan(f: Factory, spec: string): Promise<{ hb: Hawkbit; rollout: Rollout; items: RollbackItem[] }> {
  const hb = await connectHawkbit(f);
  const rollout = await resolveRollout(hb, spec);
  return { hb, rollout, items: await planRollback(hb, rollout) };
}

export async function rollback(f: Factory, spec: string, action: ForceType): Promise<RollbackReport> {
  const { hb, rollout, items } = await rollbackPlan(f, spec);
  const done: RollbackItem[] = [];
  for (const item of items) {
    if (item.result !== 'planned' || item.toId === undefined) { done.push(item); continue; }
    try {
      const r = await hb.client.assignDs(item.device, item.toId, action);
      done.push({ ...item, result: r.assigned > 0 ? 'assigned' : 'already-assigned' });
    } catch (err) {
      done.push({ ...item, result: 'failed', reason: (err as Error).message });
    }
  }
  const report: RollbackReport = { rollout: { id: rollout.id, name: rollout.name, status: rollout.status }, action, items: done };
  const failed = done.filter((i) => i.result === 'failed');
  if (failed.length > 0) {
    throw Object.assign(new PartialFailure(`rollback of ${failed.length} of ${count(done.length, 'device')} failed: ${failed.map((i) => i.device).join(', ')}`, { service: 'hawkbit' }), { report });
  }
  return report;
}
