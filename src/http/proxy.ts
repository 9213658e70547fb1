// Proxy from the environment (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, lower case winning, as in curl
// and undici). undici's EnvHttpProxyAgent is loaded only when a proxy variable is set: most runs
// have none, and the proxy machinery (ProxyAgent, SOCKS, tunnelling) costs startup time.
//
// We read the variables from the injected `env` and hand them to EnvHttpProxyAgent explicitly
// (empty strings, not undefined, for unset ones) so it never falls back to process.env behind
// our back.

import { createRequire } from 'node:module';
import type { EnvHttpProxyAgent } from 'undici';

export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

function pick(env: NodeJS.ProcessEnv, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

/** The proxy configuration in `env`, or undefined when no proxy variable is set. */
export function proxySettings(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const httpProxy = pick(env, 'http_proxy');
  const httpsProxy = pick(env, 'https_proxy');
  if (httpProxy === '' && httpsProxy === '') return undefined;
  return { httpProxy, httpsProxy, noProxy: pick(env, 'no_proxy') };
}

let loaded: typeof EnvHttpProxyAgent | undefined;

/**
 * Loads undici's EnvHttpProxyAgent on first use. Through the package index, unlike agents.ts: the
 * proxy agents call API methods (`client.connect`) that the index installs on Dispatcher.prototype.
 * Loading the whole package is acceptable on this path; it only runs behind a proxy.
 */
export function loadEnvHttpProxyAgent(): typeof EnvHttpProxyAgent {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    loaded = (require('undici') as { EnvHttpProxyAgent: typeof EnvHttpProxyAgent }).EnvHttpProxyAgent;
  }
  return loaded;
}

/** For tests and diagnostics: whether the proxy code was ever loaded by this module. */
export function proxyAgentLoaded(): boolean {
  return loaded !== undefined;
}
