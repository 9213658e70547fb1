// After a compose `up`: contexts `compose-provider` and `compose-<tenant>` with working
// credentials (the automation client for Keycloak, provisioner, RabbitMQ, hawkBit and
// ThingsBoard accounts), pinned to the stack's own CA root and fingerprint.
import type { ContextSpec } from '../config/context-spec.js';
import type { ContextStore } from '../config/contexts.js';
import type { CredentialStore } from '../config/credentials.js';
import { AUTOMATION_CLIENT, CLI_CLIENT } from './bootstrap/keycloak-realm.js';
import type { StackUrls } from './bootstrap/urls.js';
import { contextName, type StackRef } from './layout.js';

export interface ComposeContextInput {
  stack: StackRef;
  stateDir: string;
  env: Map<string, string>;
  urls: StackUrls;
  rootCaFile: string;
  fingerprint: string;
}

export function writeComposeContext(i: ComposeContextInput, contexts: ContextStore, credentials: CredentialStore): string {
  const v = (k: string): string => i.env.get(k) ?? '';
  const name = contextName(i.stack);
  const provider = i.stack.kind === 'provider';
  const spec: ContextSpec = {
    type: i.stack.kind,
    caFile: i.rootCaFile,
    keycloak: { url: i.urls.keycloak, realm: provider ? 'cdm' : i.stack.tenant!, clientId: CLI_CLIENT },
    stepca: { url: i.urls.stepca, fingerprint: i.fingerprint, provisioner: provider ? v('STEP_CA_SUB_CA_PROVISIONER') : v('STEP_CA_PROVISIONER_NAME') },
    bridge: { url: i.urls.bridge },
    // Marks the context as managed by `cdm stack` (reset removes it); the engine is in the path.
    sandbox: { stateDir: i.stateDir },
  };
  if (!provider) spec.tenant = i.stack.tenant!;
  if (i.urls.rabbitmq) spec.rabbitmq = { url: i.urls.rabbitmq };
  if (i.urls.hawkbit) spec.hawkbit = { url: i.urls.hawkbit };
  if (i.urls.thingsboard) spec.thingsboard = { url: i.urls.thingsboard };
  contexts.add(name, spec, { overwrite: true });
  credentials.setTokens(name, undefined);
  credentials.setService(name, 'keycloak', { username: AUTOMATION_CLIENT, secret: v('CDM_AUTOMATION_SECRET') });
  credentials.setService(name, 'stepca', { username: spec.stepca!.provisioner!, secret: provider ? v('STEP_CA_SUB_CA_PASSWORD') : v('STEP_CA_PROVISIONER_PASSWORD') });
  if (provider) credentials.setService(name, 'rabbitmq', { username: v('RABBITMQ_ADMIN_USER'), secret: v('RABBITMQ_ADMIN_PASSWORD') });
  else {
    credentials.setService(name, 'hawkbit', { username: 'admin', secret: v('HB_ADMIN_PASSWORD') });
    credentials.setService(name, 'thingsboard', { username: v('TB_TENANT_ADMIN_EMAIL'), secret: v('TB_TENANT_ADMIN_PASSWORD') });
  }
  if (contexts.current === undefined) contexts.use(name);
  return name;
}

/** Contexts written for stacks of this compose state dir. */
export function composeContexts(stateDir: string, contexts: ContextStore): string[] {
  return contexts.list().filter((c) => c.sandbox?.stateDir === stateDir).map((c) => c.name);
}
