// Where a sandbox keeps its state, and which port each service gets. Ports are fixed per state
// dir (recorded at first start), so contexts written by `cdm stack up` stay valid across restarts.
import { join } from 'node:path';

export const SANDBOX_SERVICES = {
  provider: ['keycloak', 'step-ca', 'rabbitmq', 'bridge'],
  tenant: ['keycloak', 'step-ca', 'hawkbit', 'thingsboard', 'bridge'],
} as const;

export type SandboxService = 'keycloak' | 'step-ca' | 'rabbitmq' | 'hawkbit' | 'thingsboard' | 'bridge';

/** The sandbox's own control API (device simulations): base+9, never a real service's port. */
export const controlPort = (portBase: number): number => portBase + 9;

export const DEFAULT_PORT_BASE = 18400;

export interface ServiceEndpoint {
  /** `provider`, or the tenant id. */
  stack: string;
  service: SandboxService;
  port: number;
  url: string;
}

export interface SandboxLayout {
  stateDir: string;
  provider: boolean;
  tenants: string[];
  portBase: number;
}

/** provider: base+0…; tenant i: base + 10·(i+1) + offset of the service. */
export function endpoints(layout: SandboxLayout): ServiceEndpoint[] {
  const out: ServiceEndpoint[] = [];
  const add = (stack: string, service: SandboxService, port: number): void => {
    out.push({ stack, service, port, url: `${service === 'step-ca' ? 'https' : 'http'}://127.0.0.1:${port}` });
  };
  if (layout.provider) SANDBOX_SERVICES.provider.forEach((s, i) => add('provider', s, layout.portBase + i));
  layout.tenants.forEach((tenant, t) => SANDBOX_SERVICES.tenant.forEach((s, i) => add(tenant, s, layout.portBase + 10 * (t + 1) + i)));
  return out;
}

export const files = {
  info: (dir: string) => join(dir, 'sandbox.json'),
  lock: (dir: string) => join(dir, 'sandbox.lock'),
  secrets: (dir: string) => join(dir, 'secrets.json'),
  log: (dir: string) => join(dir, 'sandbox.log'),
  operatorPassword: (dir: string, stack: string) => join(dir, stack === 'provider' ? 'provider' : join('tenants', stack), 'operator.password'),
  serviceState: (dir: string, stack: string, service: SandboxService) => join(dir, stack === 'provider' ? 'provider' : join('tenants', stack), service === 'step-ca' ? 'step-ca' : `${service}.json`),
};
