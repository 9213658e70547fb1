import type { GroupSpec } from '../../src/core/command-spec.js';
import { exec } from './exec.js';
import { logs } from './logs.js';
import { ssh } from './ssh.js';

export const debugGroup: GroupSpec = {
  name: 'debug',
  summary: 'Reach devices over SSH (WireGuard IP, jump host): shell, commands, logs',
  verbs: [ssh, exec, logs],
};
