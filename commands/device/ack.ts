import type { MutatingVerb } from '../../src/core/command-spec.js';
import { count } from '../../src/core/plural.js';
import { alarmIds } from './alarm-ids.js';
import { ALARM_RESULT_VIEW } from './views.js';


export const ack: MutatingVerb = {
  name: 'ack',
  summary: 'Acknowledge ThingsBoard alarms',
  description: 'Acknowledges each alarm (ids from `cdm device alarms`). An alarm that is already acknowledged is ThingsBoard\'s refusal (400 code 31), exit 5. With several ids, one result per alarm and exit 6 if some failed.',
  args: [{ name: 'alarmIds', description: 'alarm ids', required: true, variadic: true }],
  examples: [
    { command: 'cdm device ack 784f394c-42b6-435a-983c-b7beff2784f9', description: 'acknowledge one alarm' },
    { command: 'cdm device alarms dev-0042 -o ndjson | jq -r .id | xargs cdm device ack', description: 'every active alarm of a device' },
  ],
  mutates: true,
  async plan(ctx) {
    return { summary: `acknowledge ${count(alarmIds(ctx).length, 'alarm')} in ThingsBoard`, steps: alarmIds(ctx).map((id) => ({ action: 'acknowledge', target: `alarm ${id}`, service: 'thingsboard' })) };
  },
  async run(ctx) {
    const { alarmAction, partialAlarmFailure } = await import('../../src/workflows/device/alarms.js');
    const results = await alarmAction(ctx.f, 'ack', alarmIds(ctx));
    await ctx.f.output().list('AlarmResult', results, ALARM_RESULT_VIEW);
    const partial = partialAlarmFailure('ack', results);
    if (partial) throw partial;
  },
};
