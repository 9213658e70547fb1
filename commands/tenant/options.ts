// Shared argument handling of the tenant verbs (light: loaded with the command tree).
import type { ArgSpec } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';

export const TENANT_ARG: ArgSpec = { name: 'id', description: 'tenant id (lower-case letters, digits, inner hyphens)', required: true };

/** Same rule as src/services/bridge/tenants.ts (kept here so --help loads no service module). */
export function tenantIdArg(v: unknown): string {
  const id = String(v ?? '');
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(id) || id.length > 63) {
    throw new UsageError(`invalid tenant id "${id}": use lower-case letters, digits and inner hyphens (at most 63)`);
  }
  if (id === 'cdm' || id === 'master') throw new UsageError(`"${id}" is a reserved realm name, not a tenant id`);
  return id;
}
