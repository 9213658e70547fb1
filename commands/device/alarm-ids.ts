import type { CommandContext } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The alarm ids of `cdm device ack|clear`, checked before anything is sent (bad input is exit 2 with
 * no request): ThingsBoard alarm ids are UUIDs, and it would refuse a typo only after the request
 * (400 "Invalid UUID string: …").
 */
export function alarmIds(ctx: CommandContext): string[] {
  const ids = (ctx.args.alarmIds as string[] | undefined ?? []).map(String);
  const bad = ids.filter((id) => !UUID.test(id));
  if (bad.length > 0) {
    throw new UsageError(`invalid alarm id${bad.length > 1 ? 's' : ''} ${bad.map((id) => `"${id}"`).join(', ')}: ThingsBoard alarm ids are UUIDs`, { hint: '`cdm device alarms` lists them' });
  }
  return ids;
}
