import type { GroupSpec } from '../../src/core/command-spec.js';
import { crl } from './crl.js';
import { inspect } from './inspect.js';
import { issue } from './issue.js';
import { list } from './list.js';
import { renew } from './renew.js';
import { revoke } from './revoke.js';
import { root } from './root.js';
import { show } from './show.js';
import { verify } from './verify.js';

export const certGroup: GroupSpec = {
  name: 'cert',
  summary: 'Certificates from step-ca: issue, renew, revoke, inspect, verify, root, CRL',
  verbs: [issue, renew, revoke, list, show, inspect, verify, root, crl],
};
