// The hawkBit target calls of the device views, over the shared hawkBit client
// (src/services/hawkbit/client.ts): a target (undefined when absent), its installed and assigned
// distribution sets, FIQL search, delete (false when absent).
import { NotFoundError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { HawkbitClient } from '../../services/hawkbit/client.js';
import type { Target } from '../../services/hawkbit/types.js';

export type HbTarget = Target;

const FIQL_SAFE = /^[A-Za-z0-9._:-]+$/;
export interface HbDistributionSet { id: number; name: string; version: string }

export class HawkbitTargets {
  constructor(private readonly client: HawkbitClient) {}

  static async open(f: Factory): Promise<HawkbitTargets> {
    const { hawkbitClient } = await import('../../services/hawkbit/connect.js');
    return new HawkbitTargets(await hawkbitClient(f));
  }

  async target(id: string): Promise<HbTarget | undefined> {
    return this.client.getTarget(id).catch(absent);
  }

  async distributionSet(id: string, which: 'installedDS' | 'assignedDS'): Promise<HbDistributionSet | undefined> {
    const ds = await (which === 'installedDS' ? this.client.targetInstalledDs(id) : this.client.targetAssignedDs(id)).catch(absent);
    return ds ? { id: ds.id, name: ds.name, version: ds.version } : undefined;
  }

  /** Controller ids of every target matching a FIQL query (all pages; bad FIQL is hawkBit's 400, exit 2). */
  async search(q: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const t of this.client.targets({ q, limit: 500 })) ids.add(t.controllerId);
    return ids;
  }

  /** The targets of these controller ids, in one FIQL call per 100 ids (`controllerId=in=(…)`). */
  async targetsIn(ids: readonly string[]): Promise<Map<string, HbTarget>> {
    const found = new Map<string, HbTarget>();
    const plain = ids.filter((id) => FIQL_SAFE.test(id));
    for (let i = 0; i < plain.length; i += 100) {
      const chunk = plain.slice(i, i + 100);
      for await (const t of this.client.targets({ q: `controllerId=in=(${chunk.join(',')})`, limit: 500 })) found.set(t.controllerId, t);
    }
    // Ids FIQL cannot carry unquoted are asked for one by one.
    for (const id of ids.filter((x) => !FIQL_SAFE.test(x))) {
      const t = await this.target(id);
      if (t) found.set(id, t);
    }
    return found;
  }

  /**
   * Which distribution set is installed on / assigned to each target, fleet-wide: every set's
   * installedTargets and assignedTargets (a few calls per set instead of two per device).
   */
  async dsIndex(): Promise<{ installed: Map<string, HbDistributionSet>; assigned: Map<string, HbDistributionSet> }> {
    const installed = new Map<string, HbDistributionSet>();
    const assigned = new Map<string, HbDistributionSet>();
    for await (const ds of this.client.pages<HbDistributionSet>('/distributionsets', 'list distribution sets', { limit: 500 })) {
      const label = { id: ds.id, name: ds.name, version: ds.version };
      for await (const t of this.client.pages<HbTarget>(`/distributionsets/${ds.id}/installedTargets`, `installed targets of set ${ds.id}`, { limit: 500 })) installed.set(t.controllerId, label);
      for await (const t of this.client.pages<HbTarget>(`/distributionsets/${ds.id}/assignedTargets`, `assigned targets of set ${ds.id}`, { limit: 500 })) assigned.set(t.controllerId, label);
    }
    return { installed, assigned };
  }

  /** Deletes the target; false when it did not exist. */
  async delete(id: string): Promise<boolean> {
    try {
      await this.client.deleteTarget(id);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }
}

function absent(err: unknown): undefined {
  if (err instanceof NotFoundError) return undefined;
  throw err;
}
