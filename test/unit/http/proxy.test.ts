import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackIp } from '../../../src/http/agents.js';
import { createHttpClient } from '../../../src/http/client.js';
import { proxyAgentLoaded, proxySettings } from '../../../src/http/proxy.js';
import { makePki, startConnectProxy, startServer, type Loopback, type TestPki } from './helpers.js';

let target: Loopback;
let secureTarget: Loopback;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
let pki: TestPki;

beforeAll(async () => {
  pki = makePki();
  const ok = (_req: unknown, res: import('node:http').ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  };
  target = await startServer((req, res) => ok(req, res));
  secureTarget = await startServer((req, res) => ok(req, res), { key: pki.serverKey, cert: pki.serverCert });
  proxy = await startConnectProxy();
});

afterAll(async () => {
  await Promise.all([target.close(), secureTarget.close(), proxy.close()]);
  pki.cleanup();
});

/** The same loopback server by name: cdm proxies names, never loopback IPs. */
const byName = (url: string): string => url.replace('://127.0.0.1:', '://localhost:');

describe('proxySettings', () => {
  it('is undefined without proxy variables, whatever NO_PROXY says', () => {
    expect(proxySettings({})).toBeUndefined();
    expect(proxySettings({ NO_PROXY: 'localhost', HTTPS_PROXY: '' })).toBeUndefined();
  });

  it('reads both cases, lower case winning', () => {
    expect(proxySettings({ HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', NO_PROXY: '.corp' })).toEqual({
      httpProxy: '',
      httpsProxy: 'http://lower:3128',
      noProxy: '.corp',
    });
    expect(proxySettings({ HTTP_PROXY: 'http://p:8080', no_proxy: 'a', NO_PROXY: 'b' })).toEqual({
      httpProxy: 'http://p:8080',
      httpsProxy: '',
      noProxy: 'a',
    });
  });
});

describe('requests through an env proxy', () => {
  // Must run first in this file: it asserts the proxy code has not been loaded yet.
  it('goes direct, without loading the proxy agent, when no proxy variable is set', async () => {
    const c = createHttpClient({ env: { NO_PROXY: '*' } });
    await c.request({ service: 'x', method: 'GET', url: target.url });
    await c.close();
    expect(proxy.tunnels).toEqual([]);
    expect(proxyAgentLoaded()).toBe(false);
    // Only undici's Agent and request API were loaded: not the package index, not the proxy code.
    const loadedFiles = Object.keys(createRequire(import.meta.url).cache).map((k) => k.replace(/\\/g, '/'));
    expect(loadedFiles.some((k) => k.endsWith('undici/lib/dispatcher/agent.js'))).toBe(true);
    expect(loadedFiles.filter((k) => k.endsWith('undici/index.js') || k.includes('proxy-agent'))).toEqual([]);
  });

  it('tunnels through HTTP_PROXY when it is set', async () => {
    const lines: string[] = [];
    const c = createHttpClient({ env: { HTTP_PROXY: proxy.url }, trace: (l) => lines.push(l) });
    const r = await c.request({ service: 'x', method: 'GET', url: `${byName(target.url)}/via-proxy` });
    await c.close();
    expect(r.json()).toEqual({ ok: true });
    expect(proxy.tunnels).toEqual([`localhost:${target.port}`]);
    expect(target.requests.at(-1)?.url).toBe('/via-proxy');
    expect(proxyAgentLoaded()).toBe(true);
    expect(lines[0]).toBe(`* proxy from environment: http and https via ${proxy.url}/`);
  });

  it('tunnels HTTPS through https_proxy with the client trust applied inside the tunnel', async () => {
    proxy.tunnels.length = 0;
    const authed = proxy.url.replace('http://', 'http://ops:pr0xy-pass@');
    const lines: string[] = [];
    const c = createHttpClient({ env: { https_proxy: authed }, caFile: pki.caFile, trace: (l) => lines.push(l) });
    const r = await c.request({ service: 'step-ca', method: 'GET', url: `${byName(secureTarget.url)}/health` });
    await c.close();
    expect(r.status).toBe(200);
    expect(proxy.tunnels).toEqual([`localhost:${secureTarget.port}`]);
    expect(lines[0]).toContain('https via http://ops:[REDACTED]@127.0.0.1');
    expect(lines.join('\n')).not.toContain('pr0xy-pass');
  });

  it('goes direct for hosts listed in NO_PROXY', async () => {
    proxy.tunnels.length = 0;
    const c = createHttpClient({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost' } });
    const r = await c.request({ service: 'x', method: 'GET', url: byName(target.url) });
    await c.close();
    expect(r.status).toBe(200);
    expect(proxy.tunnels).toEqual([]);
  });

  it('never sends a loopback IP through the proxy, NO_PROXY or not: a sandbox behind a corporate proxy', async () => {
    proxy.tunnels.length = 0;
    const c = createHttpClient({ env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }, caFile: pki.caFile });
    expect((await c.request({ service: 'x', method: 'GET', url: target.url })).status).toBe(200);
    expect((await c.request({ service: 'step-ca', method: 'GET', url: `${secureTarget.url}/health` })).status).toBe(200);
    await c.close();
    expect(proxy.tunnels).toEqual([]);
    expect(['http://127.0.0.1:1', 'https://127.9.8.7:443', 'http://[::1]:8080'].every(isLoopbackIp)).toBe(true);
    expect(['http://localhost:1', 'https://10.0.0.1', 'https://127.example.com', 'http://[::2]'].some(isLoopbackIp)).toBe(false);
  });
});
