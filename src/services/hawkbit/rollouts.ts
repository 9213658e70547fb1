// Rollouts, their deploy groups and actions. Lifecycle operations are void (204 on ≥0.10, 200
// before); illegal transitions come back as `rollout.illegalState` and become ConflictError.
import type { HawkbitClient } from './client.js';
import { fiqlValue } from './software.js';
import type { Action, Paged, Rollout, RolloutCreate, RolloutGroup, Target } from './types.js';

export type RolloutOp = 'start' | 'pause' | 'resume' | 'triggerNextGroup' | 'stop' | 'approve';

export class RolloutApi {
  constructor(private readonly hb: HawkbitClient) {}

  get(id: number): Promise<Rollout> {
    return this.hb.getJson<Rollout>(`/rollouts/${id}`, `rollout ${id}`);
  }

  /** Every rollout (full representation: per-status totals and group count). */
  list(q?: string): AsyncGenerator<Rollout> {
    return this.hb.pages<Rollout>('/rollouts', 'list rollouts', { ...(q !== undefined ? { q } : {}), sort: 'id:ASC', representation: 'full' });
  }

  /** Rollouts whose name is exactly `name` (names are not unique in hawkBit). */
  async findByName(name: string): Promise<Rollout[]> {
    // Exactly this name: FIQL's == may ignore case and takes `*` as a wildcard (see fiqlValue).
    const page = await this.hb.page<Rollout>('/rollouts', `find rollout ${name}`, { q: `name==${fiqlValue(name)}`, limit: 50 });
    return page.content.filter((r) => r.name === name);
  }

  async create(body: RolloutCreate): Promise<Rollout> {
    const res = await this.hb.call('POST', '/rollouts', { json: body });
    return this.hb.expect<Rollout>(res, [201, 200], `create rollout ${body.name}`);
  }

  op(id: number, op: RolloutOp): Promise<void> {
    return this.hb.voidCall('POST', `/rollouts/${id}/${op}`, `${op} rollout ${id}`);
  }

  /** `POST /retry`: a new rollout `<name>_retry` over the failed targets (source must be finished). */
  async retry(id: number): Promise<Rollout> {
    const res = await this.hb.call('POST', `/rollouts/${id}/retry`);
    return this.hb.expect<Rollout>(res, [201, 200], `retry rollout ${id}`);
  }

  delete(id: number): Promise<void> {
    return this.hb.voidCall('DELETE', `/rollouts/${id}`, `delete rollout ${id}`);
  }

  /** The deploy groups in order, with their per-status totals (`representation=full`). */
  async groups(id: number): Promise<RolloutGroup[]> {
    const out: RolloutGroup[] = [];
    for await (const g of this.hb.pages<RolloutGroup>(`/rollouts/${id}/deploygroups`, `groups of rollout ${id}`, { sort: 'id:ASC', representation: 'full' })) out.push(g);
    // The list's compact form lacks totalTargetsPerStatus: read each group (a handful per rollout).
    return Promise.all(out.map((g) => (g.totalTargetsPerStatus ? g : this.group(id, g.id))));
  }

  group(id: number, groupId: number): Promise<RolloutGroup> {
    return this.hb.getJson<RolloutGroup>(`/rollouts/${id}/deploygroups/${groupId}`, `group ${groupId} of rollout ${id}`);
  }

  groupTargets(id: number, groupId: number): AsyncGenerator<Target> {
    return this.hb.pages<Target>(`/rollouts/${id}/deploygroups/${groupId}/targets`, `targets of group ${groupId}`);
  }

  /** The actions a rollout created (`GET /actions?q=rollout.id==N`). */
  actions(id: number): AsyncGenerator<Action> {
    return this.hb.actions({ q: `rollout.id==${id}`, representation: 'full' });
  }

  page(q?: string, offset = 0, limit = 50): Promise<Paged<Rollout>> {
    return this.hb.page<Rollout>('/rollouts', 'list rollouts', { ...(q !== undefined ? { q } : {}), offset, limit });
  }
}
