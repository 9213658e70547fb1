// Starts the bridge emulator against the real emulators of the services it talks to, each on a
// loopback port: provider world (Keycloak with realms cdm + acme, step-ca `provider`, RabbitMQ) and
// tenant world (Keycloak with realm acme only, step-ca `tenant`, hawkBit, ThingsBoard). The
// bridge's clock is real time plus an offset tests can move (join-key and token expiry).
import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createBridgeEmulator, type BridgeEmulatorOptions } from '../../src/sandbox/bridge/index.js';
import { startEmulatorServer, type RunningEmulator } from '../../src/sandbox/kit/server.js';
import { createRabbitMqEmulator } from '../../src/sandbox/rabbitmq/index.js';
import { startHawkbit, type Harness as HbHarness } from './hawkbit-harness.js';
import { startKeycloak, type KcHarness } from './keycloak-harness.js';
import { freePort, startEmulatorTarget, type EmulatorTarget } from './stepca-target.js';
import { startThingsboard, TENANT as TB_TENANT, type TbHarness } from './thingsboard-harness.js';
import { tempDir } from './temp.js';

export const MQ_ADMIN = { username: 'admin', password: 'mq-admin-pw' };
export const HB_ADMIN = { username: 'admin', password: 'admin' };

export interface BridgeHandle {
  url: string;
  stateFile: string;
  options: BridgeEmulatorOptions;
  clock: { offsetMs: number };
  /** JSON call; `token` becomes a Bearer header. Returns status and parsed body. */
  call<T = any>(method: string, path: string, o?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: T; text: string }>;
  /** Stops the bridge (its backends keep running) and starts a new one on the same state file. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startBridge(options: Omit<BridgeEmulatorOptions, 'publicUrl' | 'now' | 'stateFile'>, dir: string): Promise<BridgeHandle> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const clock = { offsetMs: 0 };
  const stateFile = join(dir, `bridge-${options.role}.json`);
  const full: BridgeEmulatorOptions = { ...options, publicUrl: url, stateFile, now: () => Date.now() + clock.offsetMs };
  let running: RunningEmulator = await startEmulatorServer(createBridgeEmulator(full), { port });
  return {
    url, stateFile, options: full, clock,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers };
      let body: string | undefined;
      if (o.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      }
      // No connection pool: a restart closes the server's sockets, and a pooled one would fail the next call.
      const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(url + path, { method, headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
      let parsed: any;
      try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
      return { status, body: parsed, text };
    },
    async restart() {
      await running.close();
      running = await startEmulatorServer(createBridgeEmulator(full), { port });
    },
    close: () => running.close(),
  };
}

export interface ProviderWorld {
  dir: string;
  kc: KcHarness;
  ca: EmulatorTarget;
  mq: RunningEmulator;
  bridge: BridgeHandle;
  /** Password grant on the public `cdm-cli` client. */
  token(realm: string, username: string): Promise<string>;
  mqGet(path: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const USERS: Record<string, { realm: string; password: string; roles: string[] }> = {
  alice: { realm: 'cdm', password: 'alice-pw', roles: ['cdm-admin'] },
  root: { realm: 'cdm', password: 'root-pw', roles: ['platform-admin'] },
  bob: { realm: 'cdm', password: 'bob-pw', roles: ['cdm-viewer'] },
  tadmin: { realm: 'acme', password: 'tadmin-pw', roles: ['cdm-admin'] },
  top: { realm: 'acme', password: 'top-pw', roles: ['cdm-operator'] },
  tview: { realm: 'acme', password: 'tview-pw', roles: ['cdm-viewer'] },
};

function seedUsers(realms: string[]): Array<{ realm: string; username: string; password: string; realmRoles: string[] }> {
  return Object.entries(USERS).filter(([, u]) => realms.includes(u.realm))
    .map(([username, u]) => ({ realm: u.realm, username, password: u.password, realmRoles: u.roles }));
}

async function tokenFor(kc: KcHarness, realm: string, username: string): Promise<string> {
  return (await kc.login(realm, 'cdm-cli', username, USERS[username]!.password, { scope: 'openid' })).access_token;
}

export async function startProviderWorld(): Promise<ProviderWorld> {
  const dir = tempDir('cdm-bridge-provider-');
  const kc = await startKeycloak({ seed: { adminUsername: 'admin', adminPassword: 'admin-pw', tenants: ['acme'], users: seedUsers(['cdm', 'acme']) } });
  const ca = await startEmulatorTarget({ kind: 'provider', provisionerPassword: 'sub-ca-pw' });
  const mq = await startEmulatorServer(createRabbitMqEmulator({ adminUser: MQ_ADMIN.username, adminPassword: MQ_ADMIN.password }), { port: 0 });
  const bridge = await startBridge({
    role: 'provider',
    auth: { keycloakUrl: kc.base, realm: 'cdm' },
    stepca: { url: ca.url, rootPem: ca.rootPem, provisioner: 'tenant-sub-ca-signer', provisionerPassword: ca.password },
    keycloakAdmin: { url: kc.base, username: 'admin', password: 'admin-pw' },
    rabbitmq: { url: mq.url, ...MQ_ADMIN },
  }, dir);
  const mqAuth = `Basic ${Buffer.from(`${MQ_ADMIN.username}:${MQ_ADMIN.password}`).toString('base64')}`;
  return {
    dir, kc, ca, mq, bridge,
    token: (realm, username) => tokenFor(kc, realm, username),
    async mqGet(path) {
      const r = await fetch(`${mq.url}${path}`, { headers: { authorization: mqAuth } });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await bridge.close();
      await Promise.all([kc.close(), ca.close(), mq.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TenantWorld {
  dir: string;
  kc: KcHarness;
  ca: EmulatorTarget;
  hb: HbHarness;
  tb: TbHarness;
  bridge: BridgeHandle;
  token(username: string): Promise<string>;
  close(): Promise<void>;
}

export const WG = { subnet: '10.13.0.0/16', serverPublicKey: 'c2VydmVyLXB1YmxpYy1rZXktZm9yLXRlc3RzLTAwMDA9', endpoint: 'vpn.acme.test:51820' };

export async function startTenantWorld(): Promise<TenantWorld> {
  const dir = tempDir('cdm-bridge-tenant-');
  const kc = await startKeycloak({ seed: { adminUsername: 'admin', adminPassword: 'admin-pw', tenants: ['acme'], providerRealm: false, users: seedUsers(['acme']) } });
  const ca = await startEmulatorTarget({ kind: 'tenant', tenantId: 'acme', provisionerPassword: 'iot-bridge-pw' });
  const hb = await startHawkbit();
  const tb = await startThingsboard();
  const bridge = await startBridge({
    role: 'tenant', tenantId: 'acme',
    auth: { keycloakUrl: kc.base, realm: 'acme' },
    stepca: { url: ca.url, rootPem: ca.rootPem, provisioner: 'iot-bridge', provisionerPassword: ca.password },
    hawkbit: { url: hb.url, ...HB_ADMIN, tenant: 'DEFAULT' },
    thingsboard: { url: tb.url, ...TB_TENANT },
    wireguard: WG,
  }, dir);
  return {
    dir, kc, ca, hb, tb, bridge,
    token: (username) => tokenFor(kc, 'acme', username),
    async close() {
      await bridge.close();
      await Promise.all([kc.close(), ca.close(), hb.close(), tb.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
