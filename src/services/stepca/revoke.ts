// `cdm cert revoke`: POST /revoke with a one-time token whose audience is <ca>/1.0/revoke and
// whose subject is the decimal serial (newer step-ca requires sub == serial; 0.19 does not
// check, cdm sends it right for both). Always passive: step-ca records the serial and refuses to
// renew it; relying parties only learn of it through a CRL. Revoking twice is exit 5.
import { NotFoundError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { mintOtt } from '../../pki/ott.js';
import { parseSerial, type Serial } from '../../pki/serial.js';
import { StepCaConnection } from './connect.js';
import { refuseSubCaOutsideProvider, revokeTarget, type RevokeInput } from './revoke-target.js';
import { Inventory } from './inventory.js';
import { checkIssuedHere } from './issued-here.js';
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
  device: string | null;
  passive: true;
  revokedAt: string;
  ca: string;
  note: string;
}

export async function revokeCertificate(f: Factory, i: RevokeInput): Promise<RevokeResult> {
  const t = revokeTarget(i);
  const conn = await StepCaConnection.open(f);
  try {
    refuseSubCaOutsideProvider(t, conn.context);
    if (i.cert !== undefined) await refuseForeignCertificate(f, conn, i.cert, t.subject ?? '');
    // The password is resolved (locally) before the bridge is asked for a device's or tenant's serial.
    const secret = await provisionerSecret(f, conn, i.provisioner);
    const recorded = (): Promise<KnownFacts> => (t.device !== undefined ? deviceCertificate(f, t.device) : subCaCertificate(f, t.subCa!));
    const known: KnownFacts = { ...i.known, ...(t.serial ? await certFileFacts(i.cert) : await recorded()) };
    const serial: Serial = t.serial ?? known.serial!;
    const prov = await provisionerKey(conn, secret);
    const ott = await mintOtt({ key: prov.key, provisioner: prov.name, caUrl: conn.url, purpose: 'revoke', subject: serial.decimal, now: f.clock(), ...(conn.endpoint.fingerprint ? { sha: conn.endpoint.fingerprint } : {}) });
    const reasonText = i.comment ?? t.reason.name;
    await (await conn.client()).revoke({ serial: serial.decimal, ott, reasonCode: t.reason.code, reason: reasonText, passive: true });
    const revokedAt = new Date(f.clock()).toISOString();
    const inv = Inventory.open(f.paths.stateDir, conn.context.name);
    const revoked = { at: revokedAt, reasonCode: t.reason.code, reason: reasonText };
    if (inv.get(serial.decimal)) inv.update(serial.decimal, { revoked, ...(t.subCa ? { subCaTenant: t.subCa } : {}) });
    else {
      inv.put({
        serial: serial.decimal, serialHex: serial.hex, commonName: known.commonName ?? t.device ?? null, sans: known.sans ?? [],
        notBefore: known.notBefore ?? null, notAfter: known.notAfter ?? null, isCA: known.isCA ?? t.subCa !== undefined,
        provisioner: null, source: 'revoke', recordedAt: revokedAt, revoked, ...(t.subCa ? { subCaTenant: t.subCa } : {}),
      });
    }
    return {
      serial: serial.decimal, serialHex: serial.hex, reasonCode: t.reason.code, reason: t.reason.name, comment: i.comment ?? null,
      subCaTenant: t.subCa ?? null, device: t.device ?? null, passive: true, revokedAt, ca: conn.url, note: PASSIVE_NOTE,
    };
  } finally {
    await conn.close();
  }
}

/** Exit 2 before anything is revoked when this context's CA did not issue the certificate in `file`. */
async function refuseForeignCertificate(f: Factory, conn: StepCaConnection, file: string, subject: string): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const check = await checkIssuedHere(conn, readFileSync(file, 'utf8'));
  if (check.issuedHere === true) return;
  if (check.issuedHere === 'unknown') {
    f.output().warn(`warning: cdm could not check that the step-ca of context "${conn.context.name}" issued ${file} (${check.why}); step-ca records any serial it is asked to revoke`);
    return;
  }
  throw new UsageError(`${file}: "${subject}" was not issued by the step-ca of context "${conn.context.name}" (its issuer is "${check.issuer}"); step-ca records any serial it is asked to revoke, so revoking it here would leave it renewable at the CA that issued it`, {
    hint: `revoke it through the context of that CA: cdm cert revoke --cert ${file} --context <its context> …`,
  });
}

/**
 * What the local inventory can record about a certificate cdm did not issue but revokes: the whole
 * certificate with --cert, the serial and expiry the bridge recorded with --device, for a bare
 * serial what the caller passed (`known`). Without it, `cert list --revoked` showed such entries
 * with no name and no expiry.
 */
interface KnownFacts {
  serial?: Serial;
  commonName?: string | null;
  sans?: string[];
  notBefore?: string | null;
  notAfter?: string | null;
  isCA?: boolean;
}

async function certFileFacts(file: string | undefined): Promise<KnownFacts> {
  if (file === undefined) return {};
  const [{ readFileSync }, { CERT_LABEL, pemBlocks }, { certificateInfo }] = await Promise.all([
    import('node:fs'), import('../../pki/pem.js'), import('../../pki/certificate.js'),
  ]);
  // revokeTarget read and parsed this file a moment ago: the first certificate is the one revoked.
  // These facts only describe the inventory entry, so a certificate they cannot be read from is
  // still revoked (recorded by serial alone).
  try {
    const block = pemBlocks(readFileSync(file, 'utf8')).find((b) => b.label === CERT_LABEL)!;
    const c = certificateInfo(block.der);
    return { commonName: c.commonName, sans: c.sans.map((s) => s.value), notBefore: c.notBefore, notAfter: c.notAfter, isCA: c.isCA };
  } catch {
    return {};
  }
}

/** The certificate serial (and expiry) the tenant bridge recorded for the device at enrollment. */
async function deviceCertificate(f: Factory, device: string): Promise<KnownFacts> {
  const { getBridgeDevice } = await import('../bridge/devices.js');
  const d = await getBridgeDevice(f, device);
  if (!d.cert_serial) throw new NotFoundError(`the bridge has no certificate serial for device "${device}"`, { service: 'bridge', hint: 'revoke by serial or --cert <file> instead' });
  return { serial: parseSerial(d.cert_serial), commonName: device, notAfter: d.cert_not_after ?? null };
}

/** The Sub-CA serial (and subject, expiry) the provider bridge recorded for the tenant at its join. */
async function subCaCertificate(f: Factory, tenant: string): Promise<KnownFacts> {
  const { BridgeAdmin } = await import('../bridge/tenants.js');
  const t = await (await BridgeAdmin.open(f)).tenant(tenant);
  if (!t.sub_ca_serial) {
    throw new NotFoundError(`the provider bridge has no Sub-CA serial for tenant "${tenant}" (join state ${t.join_state})`, { service: 'bridge', hint: 'revoke by serial or --cert <file> with --sub-ca instead' });
  }
  const cn = t.sub_ca_subject ? /(?:^|[,/]\s*)CN=([^,/]+)/.exec(t.sub_ca_subject)?.[1] ?? null : null;
  return { serial: parseSerial(t.sub_ca_serial), commonName: cn, notAfter: t.sub_ca_not_after, isCA: true };
}
