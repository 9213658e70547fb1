// Enrolling devices or issuing certificates in a tenant whose Sub-CA cdm revoked (offboarded, or
// revoked with --sub-ca): the tenant step-ca still signs with it, so that works, but every
// certificate it issues chains to a revoked CA. cdm's records on the provider contexts of this machine are the only
// place that knows; the tenant stack cannot tell.
import type { Factory } from '../../core/factory.js';
import { Inventory } from '../../services/stepca/inventory.js';

export interface RevokedSubCa { serial: string; at: string; reason: string; context: string }

export async function revokedSubCaOf(f: Factory, tenant: string): Promise<RevokedSubCa | undefined> {
  for (const c of (await f.contexts()).list()) {
    if (c.type !== 'provider') continue;
    const r = Inventory.open(f.paths.stateDir, c.name).all().find((x) => x.subCaTenant === tenant && x.revoked);
    if (r?.revoked) return { serial: r.serial, at: r.revoked.at, reason: r.revoked.reason, context: c.name };
  }
  return undefined;
}

export function revokedSubCaWarning(tenant: string, r: RevokedSubCa): string {
  return `warning: cdm revoked the Sub-CA of tenant ${tenant} (serial ${r.serial}, ${r.at}, ${r.reason}, context ${r.context}): the tenant step-ca still signs with it, but every certificate it issues chains to a revoked CA`;
}

/** Said before anything is issued, so an operator who did not mean this tenant can stop. */
export async function warnRevokedSubCa(f: Factory): Promise<void> {
  const tenant = (await f.context()).tenant;
  if (tenant === undefined) return;
  const revoked = await revokedSubCaOf(f, tenant);
  if (revoked) f.output().warn(revokedSubCaWarning(tenant, revoked));
}
