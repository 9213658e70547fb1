// Enrolling devices or issuing certificates in a tenant whose Sub-CA cdm revoked (offboarded, or
// revoked with --sub-ca): the tenant step-ca still signs with it, so that works, but every
// certificate it issues chains to a revoked CA. cdm's records on the provider contexts of this
// machine are the only place that knows; the tenant stack cannot tell.
import { X509Certificate } from 'node:crypto';
import type { Factory } from '../../core/factory.js';
import { Inventory } from '../../services/stepca/inventory.js';

export interface RevokedSubCa { serial: string; at: string; reason: string; context: string }

/** Every Sub-CA of the tenant that cdm revoked through a provider context, newest first. */
export async function revokedSubCasOf(f: Factory, tenant: string): Promise<RevokedSubCa[]> {
  const out: RevokedSubCa[] = [];
  for (const c of (await f.contexts()).list()) {
    if (c.type !== 'provider') continue;
    for (const r of Inventory.open(f.paths.stateDir, c.name).all()) {
      if (r.subCaTenant === tenant && r.revoked) out.push({ serial: r.serial, at: r.revoked.at, reason: r.revoked.reason, context: c.name });
    }
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

export function revokedSubCaWarning(tenant: string, r: RevokedSubCa): string {
  return `warning: cdm revoked the Sub-CA of tenant ${tenant} (serial ${r.serial}, ${r.at}, ${r.reason}, context ${r.context}): the tenant step-ca still signs with it, but every certificate it issues chains to a revoked CA`;
}

/**
 * Said before anything is issued, so an operator who did not mean this tenant can stop. Only when
 * cdm's records hold a revoked Sub-CA of the tenant is its CA asked which Sub-CA it signs with: a
 * tenant that joined again since has a new one.
 */
export async function warnRevokedSubCa(f: Factory): Promise<void> {
  const tenant = (await f.context()).tenant;
  if (tenant === undefined) return;
  const revoked = await revokedSubCasOf(f, tenant);
  if (revoked.length === 0) return;
  const current = await intermediateSerials(f);
  // Could not ask (no step-ca URL, unreachable): the latest record alone decides.
  const hit = current === undefined ? revoked[0] : revoked.find((r) => current.includes(r.serial));
  if (hit) f.output().warn(revokedSubCaWarning(tenant, hit));
}

/** Decimal serials of the tenant CA's intermediates, or undefined when the CA cannot be asked. */
async function intermediateSerials(f: Factory): Promise<string[] | undefined> {
  const [{ StepCaConnection }, { caIntermediates }] = await Promise.all([import('../../services/stepca/connect.js'), import('../../services/stepca/issued-here.js')]);
  try {
    const conn = await StepCaConnection.open(f);
    try {
      return (await caIntermediates(conn)).map((pem) => BigInt(`0x${new X509Certificate(pem).serialNumber}`).toString(10));
    } finally {
      await conn.close();
    }
  } catch {
    return undefined;
  }
}
