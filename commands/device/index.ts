import type { GroupSpec } from '../../src/core/command-spec.js';
import { ack } from './ack.js';
import { alarms } from './alarms.js';
import { clear } from './clear.js';
import { remove } from './delete.js';
import { enroll } from './enroll.js';
import { health } from './health.js';
import { isolate } from './isolate.js';
import { list } from './list.js';
import { show } from './show.js';

export const deviceGroup: GroupSpec = {
  name: 'device',
  summary: 'The fleet: enroll, list, show, health, alarms, isolate, delete',
  verbs: [enroll, list, show, health, alarms, ack, clear, isolate, remove],
};
