import type { GroupSpec } from '../../src/core/command-spec.js';
import { canary } from './canary.js';
import { create } from './create.js';
import { expand } from './expand.js';
import { list } from './list.js';
import { cancel, pause, resume, retry, start } from './ops.js';
import { rollback } from './rollback.js';
import { status } from './status.js';
import { upload } from './upload.js';

export const rolloutGroup: GroupSpec = {
  name: 'rollout',
  summary: 'OTA updates with hawkBit: upload, canary rollouts with a gate, status, rollback',
  verbs: [upload, create, canary, expand, status, list, start, pause, resume, cancel, retry, rollback],
};
