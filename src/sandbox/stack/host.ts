// Starts every emulator of a sandbox in this process: the provider stack (Keycloak, step-ca,
// RabbitMQ) and one tenant stack per tenant (Keycloak, step-ca), each on its fixed loopback port.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBridgeEmulator, type BridgeEmulator } from '../bridge/index.js';
import { HttpClient } from '../bridge/http-client.js';
import type { DeviceLinks } from '../simulator/device.js';
import { createControlEmulator } from './control.js';
import { clientCredentialsBearer } from './tokens.js';
import type { FaultOptions } from '../kit/faults.js';
import { startEmulatorServer, type RunningEmulator } from '../kit/server.js';
import { writeFileAtomic } from '../kit/atomic-file.js';
import type { Emulator } from '../kit/types.js';
import { createKeycloakEmulator } from '../keycloak/index.js';
import { createHawkbitEmulator, type HawkbitEmulator } from '../hawkbit/index.js';
import { createRabbitMqEmulator } from '../rabbitmq/index.js';
import { createThingsboardEmulator, type ThingsboardEmulator } from '../thingsboard/index.js';
import { createStepCaEmulator, type StepCaEmulator } from '../stepca/index.js';
import { controlPort, endpoints, files, type SandboxLayout, type ServiceEndpoint } from './layout.js';
import { acquireLock } from './lock.js';
import { providerDefinitions } from './rabbitmq-definitions.js';
import { loadSecrets, type SandboxSecrets } from './secrets.js';
import { LineLog } from '../kit/line-log.js';

export interface SandboxOptions extends SandboxLayout {
  faults?: FaultOptions;
  stepcaVersion?: '0.19' | '0.28';
}

export interface SandboxInfo {
  apiVersion: 'cdm/v1';
  kind: 'Sandbox';
  pid: number;
  startedAt: string;
  stateDir: string;
  portBase: number;
  provider: boolean;
  tenants: string[];
  services: ServiceEndpoint[];
  /** Root certificate SHA-256 per stack, for the contexts' pinned fingerprints. */
  stepcaFingerprints: Record<string, string>;
  /** The sandbox control API (device simulations); its token is in secrets.json. */
  controlUrl: string;
  faults?: FaultOptions;
}

export interface RunningSandbox {
  info: SandboxInfo;
  secrets: SandboxSecrets;
  close(): Promise<void>;
}

/** Operator and CI client of each realm: what `cdm stack up` stores as credentials. */
export const SANDBOX_OPERATOR = 'operator';
export const SANDBOX_CLIENT = 'cdm-sandbox';
/** hawkBit's DDI tenant in CDM's stacks, and the users of the tenant services. */
export const HAWKBIT_TENANT = 'DEFAULT';
export const HAWKBIT_USER = 'admin';
export const thingsboardUser = (tenant: string): string => `tenant-admin@${tenant}.example.com`;

export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  const release = acquireLock(opts.stateDir);
  process.once('exit', release);
  const secrets = loadSecrets(opts.stateDir, opts.tenants);
  const log = new LineLog(files.log(opts.stateDir));
  const running: RunningEmulator[] = [];
  const fingerprints: Record<string, string> = {};
  const thingsboards = new Map<string, ThingsboardEmulator>();
  const hawkbits = new Map<string, HawkbitEmulator>();
  const bridges = new Map<string, BridgeEmulator>();
  const stepcas = new Map<string, StepCaEmulator>();
  const control = createControlEmulator({
    token: secrets.controlToken,
    linksFor: (tenant) => deviceLinks(tenant, opts, secrets, thingsboards),
    seedTargetsFor: (tenant) => {
      const thingsboard = thingsboards.get(tenant)?.seeding;
      const hawkbit = hawkbits.get(tenant)?.seeding;
      const bridge = bridges.get(tenant)?.seeding;
      return thingsboard && hawkbit && bridge ? { thingsboard, hawkbit, bridge } : undefined;
    },
    reloadStepCa: (stack) => {
      const ca = stepcas.get(stack);
      if (!ca) return false;
      ca.reload();
      return true;
    },
  });
  try {
    running.push(await startEmulatorServer(control, { port: controlPort(opts.portBase) }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EADDRINUSE' ? new Error(`port ${controlPort(opts.portBase)} (sandbox control) is in use; choose another --port-base`) : err;
    }));
    for (const ep of endpoints(opts)) {
      const emulator = build(ep, opts, secrets, fingerprints);
      if (ep.service === 'thingsboard') thingsboards.set(ep.stack, emulator as ThingsboardEmulator);
      if (ep.service === 'hawkbit') hawkbits.set(ep.stack, emulator as HawkbitEmulator);
      if (ep.service === 'bridge') bridges.set(ep.stack, emulator as BridgeEmulator);
      if (ep.service === 'step-ca') stepcas.set(ep.stack, emulator as StepCaEmulator);
      running.push(await startEmulatorServer(emulator, {
        port: ep.port,
        ...(opts.faults ? { faults: opts.faults } : {}),
        // Calls inside the stack are marked, so a client's own requests can be told apart.
        onRequest: (r) => log.write(`${new Date().toISOString()} ${ep.stack} ${r.service} ${r.method} ${r.path} ${r.status}${r.internal ? ' internal' : ''}\n`),
      }).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EADDRINUSE' ? new Error(`port ${ep.port} (${ep.stack} ${ep.service}) is in use; choose another --port-base`) : err;
      }));
    }
  } catch (err) {
    await Promise.all(running.map((r) => r.close()));
    release();
    log.close();
    throw err;
  }
  const info: SandboxInfo = {
    apiVersion: 'cdm/v1', kind: 'Sandbox', pid: process.pid, startedAt: new Date().toISOString(), stateDir: opts.stateDir,
    portBase: opts.portBase, provider: opts.provider, tenants: opts.tenants, services: endpoints(opts), stepcaFingerprints: fingerprints,
    controlUrl: `http://127.0.0.1:${controlPort(opts.portBase)}`,
    ...(opts.faults ? { faults: opts.faults } : {}),
  };
  writeFileAtomic(files.info(opts.stateDir), JSON.stringify(info, null, 2), 0o600);
  return {
    info,
    secrets,
    close: async () => {
      await Promise.all(running.map((r) => r.close()));
      log.close();
      release();
    },
  };
}

function build(ep: ServiceEndpoint, opts: SandboxOptions, secrets: SandboxSecrets, fingerprints: Record<string, string>): Emulator {
  const stateFile = files.serviceState(opts.stateDir, ep.stack, ep.service);
  const stack = ep.stack === 'provider' ? secrets.provider : secrets.tenants[ep.stack]!;
  switch (ep.service) {
    case 'keycloak': {
      const realm = ep.stack === 'provider' ? 'cdm' : ep.stack;
      // realm-admin lets the operator and the CI client use the admin API of their own realm.
      const roles = ep.stack === 'provider' ? ['cdm-admin', 'platform-admin', 'cdm-operator', 'realm-admin'] : ['cdm-admin', 'cdm-operator', 'realm-admin'];
      return createKeycloakEmulator({
        stateFile,
        publicUrl: ep.url,
        seed: {
          adminUsername: 'admin',
          adminPassword: stack.keycloakAdminPassword,
          tenants: ep.stack === 'provider' ? [] : [ep.stack],
          providerRealm: ep.stack === 'provider',
          users: [{ realm, username: SANDBOX_OPERATOR, password: stack.operatorPassword, realmRoles: roles }],
          clients: [{ realm, clientId: SANDBOX_CLIENT, secret: stack.sandboxClientSecret, serviceAccountRealmRoles: roles }],
        },
      });
    }
    case 'step-ca': {
      const emu = createStepCaEmulator({
        dir: stateFile,
        kind: ep.stack === 'provider' ? 'provider' : 'tenant',
        ...(ep.stack === 'provider' ? {} : { tenantId: ep.stack }),
        publicUrl: ep.url,
        provisionerPassword: stack.provisionerPassword,
        ...(opts.stepcaVersion ? { version: opts.stepcaVersion } : {}),
      });
      fingerprints[ep.stack] = emu.rootFingerprint();
      return emu;
    }
    case 'rabbitmq':
      return createRabbitMqEmulator({ stateFile, adminUser: 'admin', adminPassword: secrets.provider.rabbitmqAdminPassword, definitions: providerDefinitions('admin') });
    case 'hawkbit':
      return createHawkbitEmulator({ stateFile, tenant: HAWKBIT_TENANT, users: [{ username: HAWKBIT_USER, password: secrets.tenants[ep.stack]!.hawkbitPassword }], publicUrl: ep.url });
    case 'thingsboard':
      return createThingsboardEmulator({ stateFile, tenantAdmin: { username: thingsboardUser(ep.stack), password: secrets.tenants[ep.stack]!.thingsboardPassword } });
    case 'bridge':
      return buildBridge(ep, opts, secrets);
  }
}

function urlOf(opts: SandboxOptions, stack: string, service: string): string {
  return endpoints(opts).find((e) => e.stack === stack && e.service === service)!.url;
}

function stepcaRoot(opts: SandboxOptions, stack: string): string {
  return readFileSync(join(files.serviceState(opts.stateDir, stack, 'step-ca'), 'certs', 'root_ca.crt'), 'utf8');
}

/** WireGuard server key of a tenant stack: made once, kept beside the bridge state. */
function wireguardServerKey(stateDir: string, tenant: string): string {
  const file = join(stateDir, 'tenants', tenant, 'wireguard-server.pub');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const der = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' });
    const key = der.subarray(der.length - 32).toString('base64');
    writeFileAtomic(file, `${key}\n`, 0o600);
    return key;
  }
}

function buildBridge(ep: ServiceEndpoint, opts: SandboxOptions, secrets: SandboxSecrets): Emulator {
  const stateFile = files.serviceState(opts.stateDir, ep.stack, 'bridge');
  if (ep.stack === 'provider') {
    const p = secrets.provider;
    return createBridgeEmulator({
      role: 'provider', stateFile, publicUrl: ep.url,
      auth: { keycloakUrl: urlOf(opts, 'provider', 'keycloak'), realm: 'cdm' },
      stepca: { url: urlOf(opts, 'provider', 'step-ca'), rootPem: stepcaRoot(opts, 'provider'), provisioner: 'tenant-sub-ca-signer', provisionerPassword: p.provisionerPassword },
      keycloakAdmin: { url: urlOf(opts, 'provider', 'keycloak'), username: 'admin', password: p.keycloakAdminPassword },
      rabbitmq: { url: urlOf(opts, 'provider', 'rabbitmq'), username: 'admin', password: p.rabbitmqAdminPassword },
    });
  }
  const t = secrets.tenants[ep.stack]!;
  return createBridgeEmulator({
    role: 'tenant', stateFile, publicUrl: ep.url, tenantId: ep.stack,
    auth: { keycloakUrl: urlOf(opts, ep.stack, 'keycloak'), realm: ep.stack },
    stepca: { url: urlOf(opts, ep.stack, 'step-ca'), rootPem: stepcaRoot(opts, ep.stack), provisioner: 'iot-bridge', provisionerPassword: t.provisionerPassword },
    hawkbit: { url: urlOf(opts, ep.stack, 'hawkbit'), username: HAWKBIT_USER, password: t.hawkbitPassword, tenant: HAWKBIT_TENANT },
    thingsboard: { url: urlOf(opts, ep.stack, 'thingsboard'), username: thingsboardUser(ep.stack), password: t.thingsboardPassword },
    // A /14 (262,141 peers), so that a seeded 100,000-device fleet fits (upstream's default /24 holds 253).
    wireguard: { subnet: '10.12.0.0/14', serverPublicKey: wireguardServerKey(opts.stateDir, ep.stack), endpoint: '127.0.0.1:51820' },
  });
}

const linkCache = new Map<string, DeviceLinks>();

/** What a simulated device of `tenant` talks to: the tenant bridge, hawkBit, and ThingsBoard's ingestion. */
function deviceLinks(tenant: string, opts: SandboxOptions, secrets: SandboxSecrets, thingsboards: Map<string, ThingsboardEmulator>): DeviceLinks | undefined {
  const key = `${opts.stateDir}|${tenant}`;
  const cached = linkCache.get(key);
  if (cached) return cached;
  const tb = thingsboards.get(tenant);
  const t = secrets.tenants[tenant];
  if (!tb || !t) return undefined;
  const links: DeviceLinks = {
    // Virtual devices are remote clients: fault injection applies to them.
    bridge: new HttpClient('bridge', urlOf(opts, tenant, 'bridge'), undefined, true),
    bridgeAuth: clientCredentialsBearer(new HttpClient('keycloak', urlOf(opts, tenant, 'keycloak'), undefined, true), tenant, SANDBOX_CLIENT, t.sandboxClientSecret),
    hawkbit: new HttpClient('hawkbit', urlOf(opts, tenant, 'hawkbit'), undefined, true),
    hawkbitBasic: `Basic ${Buffer.from(`${HAWKBIT_USER}:${t.hawkbitPassword}`).toString('base64')}`,
    hawkbitTenant: HAWKBIT_TENANT,
    telemetry: tb,
  };
  linkCache.set(key, links);
  return links;
}


/** The info file of a sandbox, whether or not it is running. */
export function readSandboxInfo(stateDir: string): SandboxInfo | undefined {
  try {
    return JSON.parse(readFileSync(files.info(stateDir), 'utf8')) as SandboxInfo;
  } catch {
    return undefined;
  }
}
