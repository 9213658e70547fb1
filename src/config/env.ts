// Every environment variable cdm reads, declared once. `cdm help environment` is generated
// from this list, and code reads variables through `envVar()` so nothing goes undocumented.

export interface EnvVarSpec {
  name: string;
  description: string;
  /** The global flag it stands in for, if any. */
  flag?: string;
}

export const ENV_VARS: readonly EnvVarSpec[] = [
  { name: 'CDM_CONTEXT', flag: '--context', description: 'context to use instead of the current one' },
  { name: 'CDM_OUTPUT', flag: '--output', description: 'default output format: table, wide, json, yaml or ndjson' },
  { name: 'CDM_TIMEOUT', flag: '--timeout', description: 'bound on the whole command, e.g. 30s or 5m' },
  { name: 'CDM_CA_FILE', flag: '--ca-file', description: 'PEM bundle trusted in addition to the system roots' },
  { name: 'CDM_NO_INPUT', flag: '--no-input', description: 'set to 1 to never prompt (missing answers exit 2)' },
  { name: 'CDM_DEBUG', flag: '--verbose', description: 'set to "http" for a redacted HTTP trace on stderr' },
  { name: 'CDM_RATE_LIMIT', description: 'client-side limit on requests per second of one command (default: the context\'s, else 50; sandbox contexts: none; 0 = none)' },
  { name: 'CDM_CONFIG_DIR', description: 'directory of config.json and credentials.json (default $XDG_CONFIG_HOME/cdm)' },
  { name: 'CDM_STATE_DIR', description: 'directory of journals and caches (default $XDG_STATE_HOME/cdm)' },
  { name: 'CDM_FORCE_TTY', description: 'set to 1 to behave as if attached to a terminal (tests, recorded sessions)' },
  { name: 'NO_COLOR', flag: '--no-color', description: 'any non-empty value disables colour' },
  { name: 'CI', description: 'when true, cdm never prompts and shows no spinners' },
  { name: 'XDG_CONFIG_HOME', description: 'base of the config directory (default ~/.config)' },
  { name: 'XDG_STATE_HOME', description: 'base of the state directory (default ~/.local/state)' },
  { name: 'HTTPS_PROXY', description: 'proxy for https:// requests (also HTTP_PROXY, lower-case forms)' },
  { name: 'NO_PROXY', description: 'hosts reached without the proxy, comma-separated (loopback IPs such as the sandbox never use the proxy)' },
  { name: 'SSH_AUTH_SOCK', description: 'SSH agent used by `cdm debug` when no --identity is given' },
  { name: 'TERM', description: 'terminal type passed to `cdm debug ssh` shells; "dumb" disables colour' },
];

const KNOWN = new Set(ENV_VARS.map((v) => v.name));

export function envVar(env: NodeJS.ProcessEnv, name: string): string | undefined {
  if (!KNOWN.has(name)) throw new Error(`undeclared environment variable ${name}: add it to src/config/env.ts`);
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}
