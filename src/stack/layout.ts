// Where the compose engine keeps each stack's files, how its projects are named, and which host
// ports a tenant gets. One directory per stack under the state dir: `provider/` and
// `tenant-<id>/`, each holding the 0600 env file and the CA root fetched from the container.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root.js';

export type StackKind = 'provider' | 'tenant';

export interface StackRef {
  kind: StackKind;
  /** Tenant id (tenant stacks only). */
  tenant?: string;
}

export const PROVIDER_CONTEXT = 'compose-provider';
export const tenantContext = (tenant: string): string => `compose-${tenant}`;

export function stackName(s: StackRef): string {
  return s.kind === 'provider' ? 'provider' : s.tenant!;
}

export function projectName(s: StackRef): string {
  return s.kind === 'provider' ? 'cdm-provider' : `cdm-tenant-${s.tenant}`;
}

export function contextName(s: StackRef): string {
  return s.kind === 'provider' ? PROVIDER_CONTEXT : tenantContext(s.tenant!);
}

export function stackDir(stateDir: string, s: StackRef): string {
  return join(stateDir, s.kind === 'provider' ? 'provider' : `tenant-${s.tenant}`);
}

export const stackFiles = {
  env: (stateDir: string, s: StackRef) => join(stackDir(stateDir, s), '.env'),
  rootCa: (stateDir: string, s: StackRef) => join(stackDir(stateDir, s), 'root_ca.crt'),
};

/** The shipped compose project directory (stacks/provider or stacks/tenant). */
export function composeDir(kind: StackKind): string {
  return join(packageRoot(), 'stacks', kind);
}

/** Stacks that have been brought up in this state dir (their directory exists). */
export function knownStacks(stateDir: string): StackRef[] {
  if (!existsSync(stateDir)) return [];
  const out: StackRef[] = [];
  for (const name of readdirSync(stateDir).sort()) {
    if (name === 'provider') out.unshift({ kind: 'provider' });
    else if (name.startsWith('tenant-')) out.push({ kind: 'tenant', tenant: name.slice('tenant-'.length) });
  }
  return out;
}
