// One undici dispatcher per origin, created on first use and reused (keep-alive pooling), with
// the client's connect/read timeouts and TLS options. `close()` drains them all.
//
// undici is loaded through deep paths (Agent and the `request` API only) rather than the package
// index: the index also loads fetch, WebSocket, caches, mocks and the proxy agents, ~3× the load
// time of what we use, and "time to first request" has a 150 ms budget (architecture.md). The
// package declares no `exports` map, so these paths are reachable; types come from its .d.ts.

import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';
import { loadEnvHttpProxyAgent, type ProxySettings } from './proxy.js';
import type { TlsConnectOptions } from './tls.js';

type RequestFn = (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

interface UndiciCore {
  Agent: typeof Agent;
  request: RequestFn;
}

let core: UndiciCore | undefined;

function loadCore(): UndiciCore {
  if (core === undefined) {
    const require = createRequire(import.meta.url);
    core = {
      Agent: require('undici/lib/dispatcher/agent.js') as typeof Agent,
      request: require('undici/lib/api/api-request.js') as RequestFn,
    };
  }
  return core;
}

export interface AgentPoolOptions {
  /** Made when the first HTTPS (or proxied) origin needs it. */
  tls: () => TlsConnectOptions;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  proxy?: ProxySettings;
}

export class AgentPool {
  private readonly dispatchers = new Map<string, Dispatcher>();
  private closed = false;

  constructor(private readonly opts: AgentPoolOptions) {}

  /** The dispatcher for an origin (`https://host:port`), created on first use. */
  get(origin: string): Dispatcher {
    if (this.closed) throw new Error('HTTP client already closed');
    let d = this.dispatchers.get(origin);
    if (d === undefined) {
      d = this.create(origin);
      this.dispatchers.set(origin, d);
    }
    return d;
  }

  /** Sends one request through the origin's dispatcher (undici's `request` API). */
  request(origin: string, opts: Omit<Dispatcher.RequestOptions, 'origin'>): Promise<Dispatcher.ResponseData> {
    const dispatcher = this.get(origin);
    return loadCore().request.call(dispatcher, { ...opts, origin });
  }

  private create(origin: string): Dispatcher {
    const { readTimeoutMs } = this.opts;
    const proxy = isLoopbackIp(origin) ? undefined : this.opts.proxy;
    const timeouts = { headersTimeout: readTimeoutMs, bodyTimeout: readTimeoutMs };
    if (proxy === undefined && origin.startsWith('http:')) {
      // Plain HTTP: no TLS material to make (only the connect timeout applies).
      return new (loadCore().Agent)({ ...timeouts, connect: { timeout: this.opts.connectTimeoutMs } });
    }
    const tls = this.opts.tls();
    if (proxy !== undefined) {
      const EnvHttpProxyAgent = loadEnvHttpProxyAgent();
      return new EnvHttpProxyAgent({
        ...timeouts,
        httpProxy: proxy.httpProxy,
        httpsProxy: proxy.httpsProxy,
        noProxy: proxy.noProxy,
        // Direct (NO_PROXY) connections.
        connect: { ...tls },
        // TLS to the target inside the CONNECT tunnel: same trust, identity and verification.
        requestTls: { ...tls },
        // TLS to an https:// proxy itself: default roots, always verified; the connect timeout.
        proxyTls: { timeout: tls.timeout },
      });
    }
    return new (loadCore().Agent)({ ...timeouts, connect: { ...tls } });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.close()));
  }
}

/**
 * This machine's loopback addresses (the sandbox, SSH tunnels) are never reached through a proxy
 * from the environment, as in Go's net/http: a proxy elsewhere cannot reach them, so behind a
 * corporate HTTPS_PROXY without 127.0.0.1 in NO_PROXY every sandbox command failed. `localhost`
 * follows NO_PROXY as any other name.
 */
export function isLoopbackIp(origin: string): boolean {
  const host = new URL(origin).hostname;
  return host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
