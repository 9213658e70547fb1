// The hawkBit target calls of the device views, over the shared hawkBit client
// (src/services/hawkbit/client.ts): a target (undefined when absent), its installed and assigned
// distribution sets, the targets and sets of one page of devices, delete (false when absent).
import { NotFoundError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { MAX_PAGE, type HawkbitClient } from '../../services/hawkbit/client.js';
import type { Target } from '../../services/hawkbit/types.js';

export type HbTarget = Target;

const FIQL_SAFE = /^[A-Za-z0-9._:-]+$/;
/** Controller ids per FIQL `=in=` list: keeps the request line well under servers' 8 KB limits. */
const CHUNK = 100;
export interface HbDistributionSet { id: number; name: string; version: string }
export interface SetsInUse { installed: HbDistributionSet[]; assigned: HbDistributionSet[] }

/** A FIQL string literal: double-quoted, `"` and `\\` escaped. */
const fiqlQuote = (v: string): string => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;

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

  /**
   * The targets of these controller ids, in one FIQL call per 100 ids (`controllerId=in=(…)`); with
   * `q`, only those that also match it (`(q);controllerId=in=(…)`: bad FIQL is hawkBit's 400, exit 2).
   */
  async targetsIn(ids: readonly string[], q?: string): Promise<Map<string, HbTarget>> {
    const found = new Map<string, HbTarget>();
    const plain = ids.filter((id) => FIQL_SAFE.test(id));
    for (let i = 0; i < plain.length; i += CHUNK) {
      const pinned = `controllerId=in=(${plain.slice(i, i + CHUNK).join(',')})`;
      for await (const t of this.client.targets({ q: q === undefined ? pinned : `(${q});${pinned}`, limit: MAX_PAGE })) found.set(t.controllerId, t);
    }
    // Ids FIQL cannot carry unquoted are asked for one by one.
    for (const id of ids.filter((x) => !FIQL_SAFE.test(x))) {
      if (q === undefined) {
        const t = await this.target(id);
        if (t) found.set(id, t);
      } else {
        for await (const t of this.client.targets({ q: `(${q});controllerId==${fiqlQuote(id)}`, limit: MAX_PAGE })) if (t.controllerId === id) found.set(id, t);
      }
    }
    return found;
  }

  /**
   * The distribution sets installed on, or assigned to, at least one target (two counts per set,
   * once per listing): a page of devices only needs asking about these.
   */
  async setsInUse(): Promise<SetsInUse> {
    const inUse: SetsInUse = { installed: [], assigned: [] };
    for await (const ds of this.client.pages<HbDistributionSet>('/distributionsets', 'list distribution sets', { limit: MAX_PAGE })) {
      const label = { id: ds.id, name: ds.name, version: ds.version };
      const [installed, assigned] = await Promise.all([
        this.client.count(`/distributionsets/${ds.id}/installedTargets`, `installed targets of set ${ds.id}`),
        this.client.count(`/distributionsets/${ds.id}/assignedTargets`, `assigned targets of set ${ds.id}`),
      ]);
      if (installed > 0) inUse.installed.push(label);
      if (assigned > 0) inUse.assigned.push(label);
    }
    return inUse;
  }

  /**
   * Which set in use is installed on / assigned to each of these targets: per set and kind, one
   * FIQL call per 100 ids on the set's installedTargets / assignedTargets.
   */
  async setsOf(ids: readonly string[], inUse: SetsInUse): Promise<{ installed: Map<string, HbDistributionSet>; assigned: Map<string, HbDistributionSet> }> {
    const plain = ids.filter((id) => FIQL_SAFE.test(id));
    const members = async (which: 'installed' | 'assigned'): Promise<Map<string, HbDistributionSet>> => {
      const map = new Map<string, HbDistributionSet>();
      for (const ds of inUse[which]) {
        for (let i = 0; i < plain.length; i += CHUNK) {
          const q = `controllerId=in=(${plain.slice(i, i + CHUNK).join(',')})`;
          for await (const t of this.client.pages<HbTarget>(`/distributionsets/${ds.id}/${which}Targets`, `${which} targets of set ${ds.id}`, { q, limit: MAX_PAGE })) map.set(t.controllerId, ds);
        }
      }
      // Ids FIQL cannot carry unquoted: the target's own installedDS / assignedDS.
      if (inUse[which].length > 0) {
        for (const id of ids.filter((x) => !FIQL_SAFE.test(x))) {
          const ds = await this.distributionSet(id, which === 'installed' ? 'installedDS' : 'assignedDS');
          if (ds) map.set(id, ds);
        }
      }
      return map;
    };
    const [installed, assigned] = await Promise.all([members('installed'), members('assigned')]);
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
