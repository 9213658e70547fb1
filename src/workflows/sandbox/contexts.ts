// After `cdm stack up`: contexts local-provider and local-<tenant> with working credentials, so
// every later command works with no further setup.
import { join } from 'node:path';
import type { ContextSpec } from '../../config/context-spec.js';
import type { ContextStore } from '../../config/contexts.js';
import type { CredentialStore } from '../../config/credentials.js';
import { HAWKBIT_USER, thingsboardUser, type SandboxInfo } from '../../sandbox/stack/host.js';
import type { SandboxSecrets } from '../../sandbox/stack/secrets.js';

export const SANDBOX_CLIENT_ID = 'cdm-sandbox';
export const LOCAL_PROVIDER = 'local-provider';
export const localTenantContext = (tenant: string): string => `local-${tenant}`;

function url(info: SandboxInfo, stack: string, service: string): string | undefined {
  return info.services.find((s) => s.stack === stack && s.service === service)?.url;
}

function rootCa(info: SandboxInfo, stack: string): string {
  return join(info.stateDir, stack === 'provider' ? 'provider' : join('tenants', stack), 'step-ca', 'certs', 'root_ca.crt');
}

export interface WrittenContext {
  name: string;
  stack: string;
}

export function writeSandboxContexts(info: SandboxInfo, secrets: SandboxSecrets, contexts: ContextStore, credentials: CredentialStore): WrittenContext[] {
  const written: WrittenContext[] = [];
  const stacks = [...(info.provider ? ['provider'] : []), ...info.tenants];
  for (const stack of stacks) {
    const name = stack === 'provider' ? LOCAL_PROVIDER : localTenantContext(stack);
    const s = stack === 'provider' ? secrets.provider : secrets.tenants[stack]!;
    const spec: ContextSpec = {
      type: stack === 'provider' ? 'provider' : 'tenant',
      caFile: rootCa(info, stack),
      keycloak: { url: url(info, stack, 'keycloak')!, realm: stack === 'provider' ? 'cdm' : stack },
      stepca: { url: url(info, stack, 'step-ca')!, fingerprint: info.stepcaFingerprints[stack]!, provisioner: stack === 'provider' ? 'tenant-sub-ca-signer' : 'iot-bridge' },
      sandbox: { stateDir: info.stateDir },
      // The client-side rate limit protects shared backends; this one is yours, on loopback.
      defaults: { rateLimit: 0 },
    };
    if (stack !== 'provider') spec.tenant = stack;
    const rabbit = url(info, stack, 'rabbitmq');
    if (rabbit) spec.rabbitmq = { url: rabbit };
    const hawkbit = url(info, stack, 'hawkbit');
    if (hawkbit) spec.hawkbit = { url: hawkbit };
    const bridge = url(info, stack, 'bridge');
    if (bridge) spec.bridge = { url: bridge };
    const thingsboard = url(info, stack, 'thingsboard');
    if (thingsboard) spec.thingsboard = { url: thingsboard };
    contexts.add(name, spec, { overwrite: true });
    // Stale tokens from an earlier sandbox would be refused by the new keys: start clean.
    credentials.setTokens(name, undefined);
    credentials.setService(name, 'keycloak', { username: SANDBOX_CLIENT_ID, secret: s.sandboxClientSecret });
    credentials.setService(name, 'stepca', { username: spec.stepca!.provisioner!, secret: s.provisionerPassword });
    if (rabbit) credentials.setService(name, 'rabbitmq', { username: 'admin', secret: secrets.provider.rabbitmqAdminPassword });
    if (stack !== 'provider') {
      const t = secrets.tenants[stack]!;
      credentials.setService(name, 'hawkbit', { username: HAWKBIT_USER, secret: t.hawkbitPassword });
      credentials.setService(name, 'thingsboard', { username: thingsboardUser(stack), secret: t.thingsboardPassword });
    }
    written.push({ name, stack });
  }
  if (contexts.current === undefined && written[0]) contexts.use(written[0].name);
  return written;
}

/** Contexts that point at this sandbox (to remove on reset). */
export function sandboxContexts(stateDir: string, contexts: ContextStore): string[] {
  return contexts.list().filter((c) => c.sandbox?.stateDir === stateDir).map((c) => c.name);
}
