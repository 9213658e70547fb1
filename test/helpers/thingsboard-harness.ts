// Starts the ThingsBoard emulator on a loopback port (real HTTP, Node's fetch) with a controllable
// clock, and offers the request shapes the ThingsBoard tests repeat.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createThingsboardEmulator, type ThingsboardEmulator, type ThingsboardEmulatorOptions } from '../../src/sandbox/thingsboard/index.js';

export const TENANT = { username: 'tenant@cdm.example', password: 'tenant-pw' };
export const SYSADMIN = { username: 'sysadmin@thingsboard.org', password: 'sysadmin' };
/** Fixed start of the test clock: 2026-01-01T00:00:00Z. */
export const T0 = 1767225600000;

export interface TbHarness {
  url: string;
  emu: ThingsboardEmulator;
  clock: { now: number; advance(ms: number): void };
  /** Tenant-admin token, logged in at start. */
  token: string;
  /** JSON call with `X-Authorization: Bearer <token>` (no header when token is undefined). */
  api(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** GET with the tenant token; asserts nothing, returns the parsed JSON and status. */
  get<T = any>(path: string): Promise<{ status: number; body: T }>;
  /** Sends with the tenant token and returns status and parsed JSON (undefined for an empty body). */
  send<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  login(username: string, password: string): Promise<Response>;
  /** Creates a device through the REST API; returns its id. */
  createDevice(name: string, extra?: Record<string, unknown>, query?: string): Promise<string>;
  close(): Promise<void>;
}

export type HarnessOptions = Partial<Omit<ThingsboardEmulatorOptions, 'now'>>;

export async function startThingsboard(options: HarnessOptions = {}): Promise<TbHarness> {
  const clock = { now: T0, advance(ms: number) { clock.now += ms; } };
  const emu = createThingsboardEmulator({ tenantAdmin: TENANT, sysAdmin: SYSADMIN, rpcMinTimeoutMs: 0, ...options, now: () => clock.now });
  const server: Server = createServer((req, res) => { void emu.handle(req, res); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api = (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(url + path, {
      method,
      headers: { ...(token ? { 'x-authorization': `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const login = (username: string, password: string): Promise<Response> => api('POST', '/api/auth/login', undefined, { username, password });
  const first = await login(TENANT.username, TENANT.password);
  if (first.status !== 200) throw new Error(`tenant login failed: ${first.status}`);
  const token = ((await first.json()) as { token: string }).token;

  const parse = async (r: Response): Promise<any> => {
    const t = await r.text();
    if (t === '') return undefined;
    try { return JSON.parse(t); } catch { return t; }
  };
  const h: TbHarness = {
    url, emu, clock, token, api, login,
    async get(path) { const r = await api('GET', path, token); return { status: r.status, body: await parse(r) }; },
    async send(method, path, body) { const r = await api(method, path, token, body); return { status: r.status, body: await parse(r) }; },
    async createDevice(name, extra = {}, query = '') {
      const r = await api('POST', `/api/device${query}`, token, { name, ...extra });
      if (r.status !== 200) throw new Error(`device create failed: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { id: { id: string } }).id.id;
    },
    async close() {
      await emu.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return h;
}
