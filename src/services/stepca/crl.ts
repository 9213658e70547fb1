// `cdm cert crl`: the CRL as the CA serves it. step-ca 0.19 has no /crl route and newer ones
// answer 404 when CRLs are disabled: then cdm says so plainly (exit 3) — passive revocations
// are then invisible to relying parties.
import { NotFoundError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { crlSignedBy, parseCrl, type CrlInfo } from '../../pki/crl.js';
import { StepCaConnection } from './connect.js';
import { SERVICE } from './errors.js';

export interface CrlResult extends CrlInfo {
  ca: string;
  /** Subject of the CA certificate whose key signed the CRL (checked against the pinned root and the CA's intermediates). */
  signedBy: string | null;
}

export async function fetchCrl(f: Factory): Promise<CrlResult> {
  const conn = await StepCaConnection.open(f);
  try {
    const client = await conn.client();
    const der = await client.crl();
    if (!der) {
      const version = await client.version().then((v) => v.version).catch(() => 'unknown');
      throw new NotFoundError(`step-ca ${version} at ${conn.url} serves no CRL (GET /crl: 404): this CA version has no CRL, or CRLs are disabled in its ca.json`, {
        service: SERVICE, status: 404,
        hint: 'passive revocations are then invisible to relying parties; enable "crl" in ca.json (step-ca ≥ 0.24) and keep lifetimes short',
      });
    }
    const info = parseCrl(der);
    const issuers = [...(await conn.roots().catch(() => [])), ...(await client.intermediates().catch(() => []))];
    return { ...info, ca: conn.url, signedBy: (await crlSignedBy(info.pem, issuers)) ?? null };
  } finally {
    await conn.close();
  }
}
