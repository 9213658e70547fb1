// Turning what the operator typed into hawkBit objects: `--ds name:version|id` and a rollout given
// by id or name. An unknown distribution set is bad input (exit 2): only a lookup was sent.
import { NotFoundError, UsageError } from '../../core/errors.js';
import type { DistributionSet, Rollout } from '../../services/hawkbit/types.js';
import type { Hawkbit } from './connect.js';

export function parseDsSpec(text: string): { id: number } | { name: string; version: string } {
  const s = text.trim();
  if (/^\d+$/.test(s)) return { id: Number(s) };
  const cut = s.lastIndexOf(':');
  if (cut <= 0 || cut === s.length - 1) throw new UsageError(`invalid --ds "${text}": use name:version or a numeric id`);
  return { name: s.slice(0, cut), version: s.slice(cut + 1) };
}

export async function resolveDs(hb: Hawkbit, text: string): Promise<DistributionSet> {
  const spec = parseDsSpec(text);
  if ('id' in spec) {
    try {
      return await hb.software.getDs(spec.id);
    } catch (err) {
      if (err instanceof NotFoundError) throw new UsageError(`unknown distribution set ${spec.id}`, { service: 'hawkbit', hint: 'upload it first: cdm rollout upload <bundle> --name … --version …' });
      throw err;
    }
  }
  const ds = await hb.software.findDs(spec.name, spec.version);
  if (!ds) throw new UsageError(`unknown distribution set ${spec.name}:${spec.version}`, { service: 'hawkbit', hint: 'upload it first: cdm rollout upload <bundle> --name … --version …' });
  return ds;
}

/** A rollout by numeric id, or by exact name when that name is unique. */
export async function resolveRollout(hb: Hawkbit, text: string): Promise<Rollout> {
  const s = text.trim();
  if (/^\d+$/.test(s)) return hb.rollouts.get(Number(s));
  const found = await hb.rollouts.findByName(s);
  if (found.length === 0) throw new NotFoundError(`no rollout named ${s}`, { service: 'hawkbit', hint: 'cdm rollout list' });
  if (found.length > 1) throw new UsageError(`${found.length} rollouts are named ${s}: give the id (${found.map((r) => r.id).join(', ')})`);
  return hb.rollouts.get(found[0]!.id);
}

/**
 * How a hint names a rollout: by the name the operator gave it when the name can be typed as it is
 * (not all digits, which would read as an id; no characters a shell would take apart), else by id.
 */
export function rolloutRef(r: { id: number; name: string }): string {
  return /^(?!\d+$)[A-Za-z0-9._:@+-]+$/.test(r.name) ? r.name : String(r.id);
}
