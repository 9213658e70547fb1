// Alarms from ThingsBoard: list (tenant-wide or one device, by search status), acknowledge and
// clear. A repeated ack/clear is ThingsBoard's 400 code 31 "already …", mapped to exit 5.
import { NotFoundError, PartialFailure } from '../../core/errors.js';
import { errorBody } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { AlarmSearchStatus, TbAlarm } from '../../services/thingsboard/types.js';
import { count } from '../../core/plural.js';

export interface AlarmRow {
  id: string;
  device: string | null;
  type: string;
  severity: string;
  status: string;
  createdAt: string | null;
  acknowledged: boolean;
  cleared: boolean;
}

export function alarmRow(a: TbAlarm): AlarmRow {
  const created = a.createdTime ?? a.startTs;
  return {
    id: a.id.id, device: a.originatorName ?? null, type: a.type, severity: a.severity, status: a.status,
    createdAt: created ? new Date(created).toISOString() : null, acknowledged: a.acknowledged, cleared: a.cleared,
  };
}

export async function* listAlarms(f: Factory, device: string | undefined, status: AlarmSearchStatus): AsyncGenerator<AlarmRow> {
  const { ThingsboardClient } = await import('../../services/thingsboard/client.js');
  const tb = await ThingsboardClient.open(f);
  let deviceId: string | undefined;
  if (device !== undefined) {
    const d = await tb.deviceByName(device);
    if (!d) throw new NotFoundError(`device "${device}" is not in ThingsBoard`, { service: 'thingsboard', hint: '`cdm device list` shows the fleet' });
    deviceId = d.id.id;
  }
  for await (const page of tb.alarmPages({ ...(deviceId ? { deviceId } : {}), searchStatus: status })) {
    for (const a of page) yield alarmRow(a);
  }
}

export interface AlarmActionResult {
  id: string;
  outcome: 'done' | 'failed';
  status: string | null;
  error: string | null;
  exitCode: number;
}

/** Acknowledges or clears each alarm; one id → its error as is, several → per-id results, exit 6. */
export async function alarmAction(f: Factory, action: 'ack' | 'clear', ids: readonly string[]): Promise<AlarmActionResult[]> {
  const { ThingsboardClient } = await import('../../services/thingsboard/client.js');
  const { exitCodeOf } = await import('../../core/errors.js');
  const tb = await ThingsboardClient.open(f);
  if (ids.length === 1) {
    const a = action === 'ack' ? await tb.ack(ids[0]!) : await tb.clear(ids[0]!);
    return [{ id: ids[0]!, outcome: 'done', status: a.status, error: null, exitCode: 0 }];
  }
  const results: AlarmActionResult[] = [];
  for (const id of ids) {
    try {
      const a = action === 'ack' ? await tb.ack(id) : await tb.clear(id);
      results.push({ id, outcome: 'done', status: a.status, error: null, exitCode: 0 });
    } catch (err) {
      results.push({ id, outcome: 'failed', status: null, error: errorBody(err).message, exitCode: exitCodeOf(err) });
    }
  }
  return results;
}

export function partialAlarmFailure(action: string, results: readonly AlarmActionResult[]): PartialFailure | undefined {
  const failed = results.filter((r) => r.outcome === 'failed');
  if (failed.length === 0) return undefined;
  return new PartialFailure(`${failed.length} of ${count(results.length, 'alarm')} could not be ${action === 'ack' ? 'acknowledged' : 'cleared'}: ${failed.map((r) => `${r.id} (${r.error ?? ''})`).join('; ')}`);
}
