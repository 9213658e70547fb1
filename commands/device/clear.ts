import type { MutatingVerb } from '../../src/core/command-spec.js';
import { count } from '../../src/core/plural.js';
import { alarmIds } from './alarm-ids.js';
import { ALARM_RESULT_VIEW } from './views.js';


export const clear: MutatingVerb = {
  name: 'clear',
  summary: 'Clear ThingsBoard alarms',
  description: 'Clears each alarm (ids from `cdm device alarms`). An alarm that is already cleared is ThingsBoard\'s refusal (400 code 31), exit 5. With several ids, one result per alarm and exit 6 if some failed.',
  args: [{ name: 'alarmIds', description: 'alarm ids', required: true, variadic: true }],
  examples: [
    { command: 'cdm device clear 784f394c-42b6-435a-983c-b7beff2784f9', description: 'clear one alarm' },
    { command: 'cdm device alarms dev-0042 -o ndjson | jq -r .id | xargs cdm device clear', description: 'every active alarm of a device' },
  ],
  mutates: true,
  async plan(ctx) {
    return { summary: `clear ${count(alarmIds(ctx).length, 'alarm')} in ThingsBoard`, steps: alarmIds(ctx).map((id) => ({ action: 'clear', target: `alarm ${id}`, service: 'thingsboard' })) };
  },
  async run(ctx) {
    const { alarmAction, partialAlarmFailure } = await import('../../src/workflows/device/alarms.js');
    const results = await alarmAction(ctx.f, 'clear', alarmIds(ctx));
    await ctx.f.output().list('AlarmResult', results, ALARM_RESULT_VIEW);
    const partial = partialAlarmFailure('clear', results);
    if (partial) throw partial;
  },
};
