// Where cdm keeps its files: XDG base directories with CDM_* overrides.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { envVar } from './env.js';

export interface Paths {
  configDir: string;
  stateDir: string;
  configFile: string;
  credentialsFile: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv): Paths {
  const home = env.HOME || homedir();
  const configDir = envVar(env, 'CDM_CONFIG_DIR') ?? join(envVar(env, 'XDG_CONFIG_HOME') ?? join(home, '.config'), 'cdm');
  const stateDir = envVar(env, 'CDM_STATE_DIR') ?? join(envVar(env, 'XDG_STATE_HOME') ?? join(home, '.local', 'state'), 'cdm');
  return {
    configDir,
    stateDir,
    configFile: join(configDir, 'config.json'),
    credentialsFile: join(configDir, 'credentials.json'),
  };
}
