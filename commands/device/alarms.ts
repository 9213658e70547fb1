import type { ReadVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { ALARM_VIEW } from './views.js';

const STATUSES = ['active', 'cleared', 'ack', 'unack', 'any'] as const;

export const alarms: ReadVerb = {
  name: 'alarms',
  summary: 'Alarms from ThingsBoard, of the tenant or of one device',
  description: 'ThingsBoard alarms newest first, filtered by search status (default active). With a device id, only that device\'s alarms (exit 3 if ThingsBoard does not know it). The alarm id is what `cdm device ack|clear` take.',
  args: [{ name: 'id', description: 'device id (default: every device)' }],
  flags: [{ flags: '--status <status>', description: 'active (default), unack, ack, cleared or any', choices: STATUSES }],
  examples: [
    { command: 'cdm device alarms', description: 'every active alarm of the tenant' },
    { command: 'cdm device alarms dev-0042 --status any', description: 'a device\'s alarm history' },
    { command: 'cdm device alarms --status unack -o ndjson | jq -r .id | xargs cdm device ack', description: 'acknowledge everything' },
  ],
  mutates: false,
  async run(ctx) {
    const status = String(ctx.flags.status ?? 'active');
    if (!(STATUSES as readonly string[]).includes(status)) throw new UsageError(`invalid --status "${status}": use ${STATUSES.join(', ')}`);
    const { listAlarms } = await import('../../src/workflows/device/alarms.js');
    const device = ctx.args.id === undefined ? undefined : String(ctx.args.id);
    const which = ({ active: ' active', unack: ' unacknowledged', ack: ' acknowledged', cleared: ' cleared' } as Record<string, string>)[status] ?? '';
    await ctx.f.output().stream('Alarm', listAlarms(ctx.f, device, status.toUpperCase() as 'ACTIVE'), ALARM_VIEW, `No${which} alarms${device ? ` for ${device}` : ''}.`);
  },
};
