// Where cdm keeps its files: XDG base directories with CDM_* overrides.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { envVar } from './env.js';

export interface Paths {
  configDir: string;
  stateDir: string;
  configFile: string;
  credentialsFile: string;
}

/**
 * Always absolute: what cdm writes under these directories (contexts naming a sandbox's CA bundle,
 * records naming files) is read again from other working directories. A relative CDM_* directory
 * is taken from where cdm runs; a relative XDG_* one is ignored, as the XDG Base Directory
 * specification asks.
 */
export function resolvePaths(env: NodeJS.ProcessEnv): Paths {
  const home = env.HOME || homedir();
  const xdg = (name: string): string | undefined => {
    const value = envVar(env, name);
    return value !== undefined && isAbsolute(value) ? value : undefined;
  };
  const own = (name: string): string | undefined => {
    const value = envVar(env, name);
    return value === undefined ? undefined : resolve(value);
  };
  const configDir = own('CDM_CONFIG_DIR') ?? join(xdg('XDG_CONFIG_HOME') ?? join(home, '.config'), 'cdm');
  const stateDir = own('CDM_STATE_DIR') ?? join(xdg('XDG_STATE_HOME') ?? join(home, '.local', 'state'), 'cdm');
  return {
    configDir,
    stateDir,
    configFile: join(configDir, 'config.json'),
    credentialsFile: join(configDir, 'credentials.json'),
  };
}
