import type { GroupSpec } from '../../src/core/command-spec.js';
import { exportVerb } from './export.js';
import { tail } from './tail.js';

export const auditGroup: GroupSpec = {
  name: 'audit',
  summary: 'Merged, time-ordered audit timeline of Keycloak, ThingsBoard, hawkBit, step-ca, the bridge and cdm',
  verbs: [exportVerb, tail],
};
