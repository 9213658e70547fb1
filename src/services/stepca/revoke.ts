// `cdm cert revoke`: POST /revoke with a one-time token whose audience is <ca>/1.0/revoke and
// whose subject is the decimal serial (newer step-ca requires sub == serial; 0.19 does not
// check, cdm sends it right for both). Always passive: step-ca records the serial and refuses to
// renew it; relying parties only learn of it through a CRL. Revoking twice is exit 5.
import { UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { mintOtt } from '../../pki/ott.js';
import { StepCaConnection } from './connect.js';
import { revokeTarget, type RevokeInput } from './revoke-target.js';
import { Inventory } from './inventory.js';
import { provisionerKey, provisionerSecret } from './provisioner.js';

export type { RevokeInput } from './revoke-target.js';

export const PASSIVE_NOTE =
  'step-ca revocation is PASSIVE: the CA now refuses to renew this certificate, but it stays valid for every relying party until it expires; they only see the revocation through a CRL (`cdm cert crl`, if the CA publishes one). Keep certificate lifetimes short.';

export interface RevokeResult {
  serial: string;
  serialHex: string;
  reasonCode: number;
  reason: string;
  comment: string | null;
  subCaTenant: string | null;
  passive: true;
  revokedAt: string;
  ca: string;
  note: string;
}

export async function revokeCertificate(f: Factory, i: RevokeInput): Promise<RevokeResult> {
  const t = revokeTarget(i);
  const conn = await StepCaConnection.open(f);
  try {
    if (t.subCa !== undefined && conn.context.type !== 'provider') {
      throw new UsageError(`--sub-ca revokes a tenant Sub-CA at the provider CA, but context "${conn.context.name}" is a ${conn.context.type} context`, { hint: 'pass --context <provider context>' });
    }
    const secret = await provisionerSecret(f, conn, i.provisioner);
    const prov = await provisionerKey(conn, secret);
    const ott = await mintOtt({ key: prov.key, provisioner: prov.name, caUrl: conn.url, purpose: 'revoke', subject: t.serial.decimal, now: f.clock(), ...(conn.endpoint.fingerprint ? { sha: conn.endpoint.fingerprint } : {}) });
    const reasonText = i.comment ?? t.reason.name;
    await (await conn.client()).revoke({ serial: t.serial.decimal, ott, reasonCode: t.reason.code, reason: reasonText, passive: true });
    const revokedAt = new Date(f.clock()).toISOString();
    const inv = Inventory.open(f.paths.stateDir, conn.context.name);
    const revoked = { at: revokedAt, reasonCode: t.reason.code, reason: reasonText };
    if (inv.get(t.serial.decimal)) inv.update(t.serial.decimal, { revoked, ...(t.subCa ? { subCaTenant: t.subCa } : {}) });
    else {
      inv.put({
        serial: t.serial.decimal, serialHex: t.serial.hex, commonName: null, sans: [], notBefore: null, notAfter: null,
        isCA: t.subCa !== undefined, provisioner: null, source: 'revoke', recordedAt: revokedAt, revoked, ...(t.subCa ? { subCaTenant: t.subCa } : {}),
      });
    }
    return {
      serial: t.serial.decimal, serialHex: t.serial.hex, reasonCode: t.reason.code, reason: t.reason.name, comment: i.comment ?? null,
      subCaTenant: t.subCa ?? null, passive: true, revokedAt, ca: conn.url, note: PASSIVE_NOTE,
    };
  } finally {
    await conn.close();
  }
}
