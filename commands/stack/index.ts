import type { GroupSpec } from '../../src/core/command-spec.js';
import { down } from './down.js';
import { logs } from './logs.js';
import { reset } from './reset.js';
import { seed } from './seed.js';
import { simulate } from './simulate.js';
import { status } from './status.js';
import { up } from './up.js';

export const stackGroup: GroupSpec = {
  name: 'stack',
  summary: 'Run the provider and tenant stacks: the embedded sandbox, or the real containers (--engine compose)',
  verbs: [up, status, down, logs, simulate, seed, reset],
};
