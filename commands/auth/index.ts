import type { GroupSpec } from '../../src/core/command-spec.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { setCredential } from './set-credential.js';
import { status } from './status.js';
import { token } from './token.js';

export const authGroup: GroupSpec = {
  name: 'auth',
  summary: 'Log in to Keycloak and store service credentials',
  verbs: [login, status, token, logout, setCredential],
};
