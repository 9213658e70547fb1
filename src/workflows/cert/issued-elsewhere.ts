// A bare serial revoked through the wrong context: step-ca records any serial it is asked to
// revoke, so the certificate would stay renewable at the CA that issued it. Serials are random
// 128-bit numbers, so when cdm's records show this one issued through another context's CA (and
// not through this one), the operator picked the wrong context. Contexts that share the CA
// (another user on the same stack) do not count.
import type { NamedContext } from '../../config/context-spec.js';
import { UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { Inventory } from '../../services/stepca/inventory.js';
import { knownCertificates } from './list.js';

const ISSUED = new Set(['issue', 'renew', 'enroll']);

function issuedThrough(stateDir: string, context: string, serial: string): { commonName: string | null } | undefined {
  const r = knownCertificates(stateDir, context, Inventory.open(stateDir, context)).get(serial);
  return r && ISSUED.has(r.source) ? { commonName: r.commonName } : undefined;
}

function sameCa(a: NamedContext, b: NamedContext): boolean {
  if (a.stepca?.fingerprint && b.stepca?.fingerprint) return a.stepca.fingerprint.toLowerCase() === b.stepca.fingerprint.toLowerCase();
  return a.stepca?.url !== undefined && a.stepca.url.replace(/\/+$/, '') === b.stepca?.url?.replace(/\/+$/, '');
}

/** Exit 2 before anything is sent when the serial was issued through another CA's context. */
export async function refuseSerialOfAnotherCa(f: Factory, serial: string): Promise<void> {
  const here = await f.context();
  if (issuedThrough(f.paths.stateDir, here.name, serial)) return;
  for (const other of (await f.contexts()).list()) {
    if (other.name === here.name || sameCa(here, other)) continue;
    const found = issuedThrough(f.paths.stateDir, other.name, serial);
    if (!found) continue;
    throw new UsageError(`serial ${serial}${found.commonName ? ` (CN ${found.commonName})` : ''} was issued through context "${other.name}", whose step-ca is not that of context "${here.name}"; step-ca records any serial it is asked to revoke, so revoking it here would leave it renewable at the CA that issued it`, {
      hint: `revoke it there: cdm cert revoke ${serial} --context ${other.name} …`,
    });
  }
}
