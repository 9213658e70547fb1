// `cdm cert renew`: POST /renew over mTLS, the certificate being renewed is the client
// certificate (no token, no provisioner password). The new certificate keeps the key; it is
// verified like an issued one and replaces the old file atomically (or goes to --out).
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AuthError, ConflictError, UsageError } from '../../core/errors.js';
import { confirmReplace } from '../../core/confirm.js';
import type { Factory } from '../../core/factory.js';
import type { CertificateInfo } from '../../pki/certificate.js';
import { keyMatchesCertificate, readPrivateKey, spkiDer } from '../../pki/keys.js';
import { certificatePems } from '../../pki/pem.js';
import { StepCaConnection } from './connect.js';
import { refuseOverPrivateKey, refuseUnwritable, writeCertificate } from './files.js';
import { checkIssued } from './issued.js';
import { Inventory, type InventoryRecord } from './inventory.js';

export interface RenewInput {
  cert: string;
  key: string;
  out?: string;
}

export interface RenewResult {
  certificate: CertificateInfo;
  previousSerial: string;
  certFile: string;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export interface RenewMaterial {
  chainPems: string[];
  keyPem: string;
  leaf: X509Certificate;
}

/** Reads and checks the pair offline (also what --dry-run validates). */
export async function readRenewMaterial(i: RenewInput, now: number): Promise<RenewMaterial> {
  // The certificate is written over <cert> or --out: never over the only copy of the private key.
  const target = resolve(i.out ?? i.cert);
  if (target === resolve(i.key)) {
    throw new UsageError(i.out === undefined
      ? `${i.cert} is also the key file: renewing over it would replace the private key with the certificate`
      : `--out ${i.out} is the key file: writing the certificate there would replace the private key`, { hint: 'pass --out <another file> for the renewed certificate' });
  }
  refuseOverPrivateKey(i.out ?? i.cert);
  refuseUnwritable(i.out ?? i.cert, i.out !== undefined ? '--out' : 'renewing over');
  const chainPems = certificatePems(await readText(i.cert));
  if (chainPems.length === 0) throw new UsageError(`${i.cert}: no PEM CERTIFICATE found`);
  const keyPem = await readText(i.key);
  const key = readPrivateKey(keyPem, i.key);
  const leaf = new X509Certificate(chainPems[0]!);
  if (!keyMatchesCertificate(key, leaf.raw)) throw new UsageError(`${i.key} is not the key of the certificate in ${i.cert}`);
  if (now > Date.parse(leaf.validTo)) {
    throw new ConflictError(`the certificate in ${i.cert} expired at ${new Date(leaf.validTo).toISOString()}; step-ca renews only certificates that are still valid`, { hint: 'issue a new one with `cdm cert issue`' });
  }
  return { chainPems, keyPem, leaf };
}

export async function renewCertificate(f: Factory, i: RenewInput): Promise<RenewResult> {
  const m = await readRenewMaterial(i, f.clock());
  // Replacing <cert> is what renew is for; another existing file given with --out is asked about first.
  if (i.out !== undefined && resolve(i.out) !== resolve(i.cert) && existsSync(i.out)) await confirmReplace(f, i.out, 'certificate file');
  const previousSerial = BigInt(`0x${m.leaf.serialNumber}`).toString(10);
  const conn = await StepCaConnection.open(f);
  try {
    const roots = await conn.roots();
    const client = await conn.mtlsClient(m.chainPems.join(''), m.keyPem);
    const res = await client.renew().catch((err: unknown) => { throw renewRefused(err, Inventory.open(f.paths.stateDir, conn.context.name).get(previousSerial), previousSerial); });
    const checked = checkIssued(res, spkiDer(readPrivateKey(m.keyPem, i.key)), roots, new Date(f.clock()));
    const target = i.out ?? i.cert;
    writeCertificate(target, checked.chain.join(''));
    const inv = Inventory.open(f.paths.stateDir, conn.context.name);
    const before = inv.get(previousSerial);
    inv.put({
      serial: checked.info.serial, serialHex: checked.info.serialHex, commonName: checked.info.commonName,
      sans: checked.info.sans.map((s) => s.value), notBefore: checked.info.notBefore, notAfter: checked.info.notAfter,
      isCA: checked.info.isCA, provisioner: before?.provisioner ?? null, source: 'renew', recordedAt: new Date(f.clock()).toISOString(),
      // Absolute, as cert issue records them: the record is read from any directory.
      certFile: resolve(target), ...(before?.keyFile ? { keyFile: before.keyFile } : { keyFile: resolve(i.key) }), renewedFrom: previousSerial,
    });
    inv.update(previousSerial, { renewedBy: checked.info.serial });
    return { certificate: checked.info, previousSerial, certFile: target };
  } finally {
    await conn.close();
  }
}

/**
 * step-ca answers a renewal of a revoked certificate with a bare 401 ("lacked necessary
 * authorization"); the operator needs to know why, and that renewing again will not help.
 */
function renewRefused(err: unknown, record: InventoryRecord | undefined, serial: string): unknown {
  if (!(err instanceof AuthError)) return err;
  const hint = record?.revoked
    ? `cdm revoked serial ${serial} at ${record.revoked.at} (${record.revoked.reason}), and step-ca never renews a revoked certificate: issue a new one with \`cdm cert issue\``
    : 'step-ca refuses this way a certificate that was revoked (revocation is passive: it blocks renewal) or whose provisioner does not allow renewal: issue a new one with `cdm cert issue`';
  return new AuthError(err.message, { hint, ...(err.service ? { service: err.service } : {}), ...(err.status !== undefined ? { status: err.status } : {}), cause: err });
}
