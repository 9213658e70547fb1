// Starts every emulator of a sandbox in this process: the provider stack (Keycloak, step-ca,
// RabbitMQ) and one tenant stack per tenant (Keycloak, step-ca), each on its fixed loopback port.
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import type { FaultOptions } from '../kit/faults.js';
import { startEmulatorServer, type RunningEmulator } from '../kit/server.js';
import { writeFileAtomic } from '../kit/store.js';
import type { Emulator } from '../kit/types.js';
import { createKeycloakEmulator } from '../keycloak/index.js';
import { createHawkbitEmulator } from '../hawkbit/index.js';
import { createRabbitMqEmulator } from '../rabbitmq/index.js';
import { createThingsboardEmulator } from '../thingsboard/index.js';
import { createStepCaEmulator } from '../stepca/index.js';
import { endpoints, files, type SandboxLayout, type ServiceEndpoint } from './layout.js';
import { acquireLock } from './lock.js';
import { loadSecrets, type SandboxSecrets } from './secrets.js';

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
  const log = createWriteStream(files.log(opts.stateDir), { flags: 'a', mode: 0o600 });
  const running: RunningEmulator[] = [];
  const fingerprints: Record<string, string> = {};
  try {
    for (const ep of endpoints(opts)) {
      const emulator = build(ep, opts, secrets, fingerprints);
      running.push(await startEmulatorServer(emulator, {
        port: ep.port,
        ...(opts.faults ? { faults: opts.faults } : {}),
        onRequest: (r) => log.write(`${new Date().toISOString()} ${ep.stack} ${r.service} ${r.method} ${r.path} ${r.status}\n`),
      }).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EADDRINUSE' ? new Error(`port ${ep.port} (${ep.stack} ${ep.service}) is in use; choose another --port-base`) : err;
      }));
    }
  } catch (err) {
    await Promise.all(running.map((r) => r.close()));
    release();
    log.end();
    throw err;
  }
  const info: SandboxInfo = {
    apiVersion: 'cdm/v1', kind: 'Sandbox', pid: process.pid, startedAt: new Date().toISOString(), stateDir: opts.stateDir,
    portBase: opts.portBase, provider: opts.provider, tenants: opts.tenants, services: endpoints(opts), stepcaFingerprints: fingerprints,
    ...(opts.faults ? { faults: opts.faults } : {}),
  };
  writeFileAtomic(files.info(opts.stateDir), JSON.stringify(info, null, 2), 0o600);
  return {
    info,
    secrets,
    close: async () => {
      await Promise.all(running.map((r) => r.close()));
      await new Promise<void>((r) => log.end(r));
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
      return createRabbitMqEmulator({ stateFile, adminUser: 'admin', adminPassword: secrets.provider.rabbitmqAdminPassword });
    case 'hawkbit':
      return createHawkbitEmulator({ stateFile, tenant: HAWKBIT_TENANT, users: [{ username: HAWKBIT_USER, password: secrets.tenants[ep.stack]!.hawkbitPassword }], publicUrl: ep.url });
    case 'thingsboard':
      return createThingsboardEmulator({ stateFile, tenantAdmin: { username: thingsboardUser(ep.stack), password: secrets.tenants[ep.stack]!.thingsboardPassword } });
  }
}

/** The info file of a sandbox, whether or not it is running. */
export function readSandboxInfo(stateDir: string): SandboxInfo | undefined {
  try {
    return JSON.parse(readFileSync(files.info(stateDir), 'utf8')) as SandboxInfo;
  } catch {
    return undefined;
  }
}
