// Starts the Keycloak emulator on a loopback port (real HTTP, Node's fetch) with a controllable clock,
// and offers the few request shapes the Keycloak tests repeat.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKeycloakEmulator, type KeycloakEmulator, type KeycloakEmulatorOptions, type KeycloakSeed } from '../../src/sandbox/keycloak/index.js';

export const DEFAULT_SEED: KeycloakSeed = {
  adminUsername: 'admin',
  adminPassword: 'admin-pw',
  tenants: ['acme'],
  users: [
    { realm: 'cdm', username: 'alice', password: 'alice-pw', realmRoles: ['cdm-admin'] },
    { realm: 'cdm', username: 'bob', password: 'bob-pw', realmRoles: ['cdm-viewer'] },
    { realm: 'acme', username: 'tadmin', password: 'tadmin-pw', realmRoles: ['cdm-admin', 'realm-admin'] },
  ],
  clients: [
    { realm: 'cdm', clientId: 'ci-bot', secret: 'ci-secret', serviceAccountRealmRoles: ['cdm-operator', 'view-users'] },
    { realm: 'cdm', clientId: 'web-app', secret: 'web-secret', directAccessGrants: true },
    { realm: 'cdm', clientId: 'device-app', secret: 'dev-secret', deviceFlow: true },
  ],
};

export interface KcHarness {
  url: string;
  /** `url` + relative path: where the realms live. */
  base: string;
  emu: KeycloakEmulator;
  clock: { now: number; advance(seconds: number): void };
  close(): Promise<void>;
  /** POST form-urlencoded to `{base}{path}`. */
  form(path: string, params: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** JSON call to `{base}{path}` with an optional bearer token. */
  api(method: string, path: string, token?: string, body?: unknown): Promise<Response>;
  /** Password grant; throws unless 200. */
  login(realm: string, clientId: string, username: string, password: string, extra?: Record<string, string>): Promise<TokenSet>;
  adminToken(): Promise<string>;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  refresh_expires_in: number;
  token_type: string;
  id_token?: string;
  session_state?: string;
  scope: string;
  'not-before-policy': number;
}

export type HarnessOptions = Partial<Omit<KeycloakEmulatorOptions, 'now' | 'publicUrl'>> & { publicUrl?: string };

export async function startKeycloak(options: HarnessOptions = {}): Promise<KcHarness> {
  // The emulator needs the listening URL as its public URL, so the server starts first.
  const holder: { emu?: KeycloakEmulator } = {};
  const server: Server = createServer((req, res) => { void holder.emu!.handle(req, res); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clock = { now: Date.now(), advance(seconds: number) { clock.now += seconds * 1000; } };
  const emu = holder.emu = createKeycloakEmulator({
    seed: DEFAULT_SEED, ...options, publicUrl: options.publicUrl ?? url, now: () => clock.now,
  });
  const base = `${url}${options.relativePath ?? ''}`;
  const h: KcHarness = {
    url, base, emu, clock,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
    form: (path, params, headers = {}) => fetch(`${base}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString(),
    }),
    api: (method, path, token, body) => fetch(`${base}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    }),
    login: async (realm, clientId, username, password, extra = {}) => {
      const res = await h.form(`/realms/${realm}/protocol/openid-connect/token`, { grant_type: 'password', client_id: clientId, username, password, ...extra });
      if (res.status !== 200) throw new Error(`login ${username}@${realm} failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as TokenSet;
    },
    adminToken: async () => (await h.login('master', 'admin-cli', 'admin', 'admin-pw')).access_token,
  };
  return h;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Last path segment of a Location header (the new resource's id, as the official admin client reads it). */
export function idFromLocation(res: Response): string {
  const loc = res.headers.get('location') ?? '';
  return decodeURIComponent(loc.slice(loc.lastIndexOf('/') + 1));
}
