import type { GroupSpec } from '../../src/core/command-spec.js';
import { approve } from './approve.js';
import { join } from './join.js';
import { list } from './list.js';
import { logoutAll } from './logout-all.js';
import { offboard } from './offboard.js';
import { onboard } from './onboard.js';
import { prepare } from './prepare.js';
import { reject } from './reject.js';
import { requests } from './requests.js';
import { rotateSecrets } from './rotate-secrets.js';
import { show } from './show.js';

export const tenantGroup: GroupSpec = {
  name: 'tenant',
  summary: 'Tenant onboarding and lifecycle: prepare, join, onboard, offboard, requests, approve, reject, list, show, logout-all, rotate-secrets',
  verbs: [prepare, join, onboard, offboard, requests, approve, reject, list, show, logoutAll, rotateSecrets],
};
