import type { GroupSpec } from '../../src/core/command-spec.js';
import { canary } from './canary.js';
import { create } from './create.js';
import { expand } from './expand.js';
import { status } from './status.js';
import { upload } from './upload.js';

export const rolloutGroup: GroupSpec = {
  name: 'rollout',
  summary: 'OTA updates with hawkBit: upload, create, canary, expand',
  verbs: [upload, create, canary, expand, status],
};
