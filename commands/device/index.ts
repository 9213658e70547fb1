import type { GroupSpec } from '../../src/core/command-spec.js';
import { ack } from './ack.js';
import { alarms } from './alarms.js';
import { clear } from './clear.js';
import { health } from './health.js';
import { list } from './list.js';
import { show } from './show.js';

export const deviceGroup: GroupSpec = {
  name: 'device',
  summary: 'The fleet: list, show, health, alarms',
  verbs: [list, show, health, alarms, ack, clear],
};
