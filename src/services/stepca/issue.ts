// `cdm cert issue`: key (generated here, or the user's CSR) → CSR → one-time token minted from
// the provisioner key → POST /sign → verify (our key, chains to the pinned root) → write.
// Everything that can be checked locally is checked before the first request.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CdmError, ConflictError, UsageError } from '../../core/errors.js';
import { confirmReplace } from '../../core/confirm.js';
import { inputName, readBytesInput } from '../../core/read-input.js';
import type { Factory } from '../../core/factory.js';
import type { IOStreams } from '../../core/io.js';
import type { CertificateInfo } from '../../pki/certificate.js';
import { createCsr, readCsrFile } from '../../pki/csr.js';
import { sha256Hex } from '../../pki/fingerprint.js';
import { generateEcKey } from '../../pki/keys.js';
import { mintOtt } from '../../pki/ott.js';
import { pemBlocks } from '../../pki/pem.js';
import { collectSans, type San } from '../../pki/sans.js';
import { StepCaConnection } from './connect.js';
import { refuseExisting, refuseOverPrivateKey, refuseUnwritable, writeCertificate, writeKey } from './files.js';
import { checkIssued } from './issued.js';
import { Inventory } from './inventory.js';
import { provisionerKey, provisionerSecret } from './provisioner.js';

export interface IssueInput {
  commonName: string;
  san?: string[];
  csr?: string;
  keyOut?: string;
  /** Go duration for step-ca (`24h`), already validated. */
  notAfter?: string;
  out?: string;
  provisioner?: string;
  /** The caller means a CA certificate (a tenant Sub-CA); without it a CA certificate is withheld. */
  ca?: boolean;
}

export interface IssuePlan {
  commonName: string;
  sans: San[];
  keySource: 'generated' | 'csr';
}

/** Validates the request offline: what --dry-run shows and what issue runs. */
export function planIssue(i: IssueInput, now: number): IssuePlan {
  if (!i.commonName.trim()) throw new UsageError('the common name is empty');
  // step-ca refuses an end in the past after the token is minted and sent; it is known here.
  if (i.notAfter && /^\d{4}-/.test(i.notAfter) && Date.parse(i.notAfter) <= now) {
    throw new UsageError(`--not-after ${i.notAfter} is in the past (now ${new Date(now).toISOString()})`, { hint: 'give a later time, or a duration such as 24h' });
  }
  if (i.csr && i.keyOut) throw new UsageError('--csr and --key-out exclude each other: with a CSR the key stays where it is');
  if (!i.csr && !i.keyOut) throw new UsageError('pass --key-out <file> (a new EC P-256 key is generated there) or --csr <file>');
  if (i.keyOut && i.out && resolve(i.keyOut) === resolve(i.out)) throw new UsageError('--key-out and --out must be different files');
  if (i.csr && i.out && resolve(i.csr) === resolve(i.out)) throw new UsageError('--csr and --out must be different files: the certificate would replace the request');
  if (i.keyOut) {
    refuseExisting(i.keyOut, 'key file');
    refuseUnwritable(i.keyOut, '--key-out');
  }
  if (i.out) {
    refuseOverPrivateKey(i.out);
    refuseUnwritable(i.out, '--out');
  }
  return { commonName: i.commonName, sans: collectSans(i.commonName, i.san), keySource: i.csr ? 'csr' : 'generated' };
}

export interface IssueResult {
  certificate: CertificateInfo;
  chain: string[];
  provisioner: string;
  certFile: string | null;
  keyFile: string | null;
}

interface KeyAndCsr {
  csrPem: string;
  spki: Buffer;
  sans: San[];
  privatePem?: string;
}

function sameSans(a: readonly San[], b: readonly San[]): boolean {
  const key = (s: San): string => `${s.type}:${s.value.toLowerCase()}`;
  const sa = new Set(a.map(key));
  return sa.size === new Set(b.map(key)).size && b.every((s) => sa.has(key(s)));
}

/** The user's CSR: its CN must be the requested one (step-ca: CN = token sub), its SANs decide the token's. */
async function fromCsr(i: IssueInput, plan: IssuePlan, io: IOStreams): Promise<KeyAndCsr> {
  const csr = await readCsrFile(await readBytesInput(i.csr!, io, '--csr'), inputName(i.csr!));
  if (csr.commonName !== undefined && csr.commonName !== plan.commonName) {
    throw new UsageError(`the CSR's common name "${csr.commonName}" is not the requested "${plan.commonName}"; step-ca would refuse it (CN must equal the token subject)`);
  }
  let sans = plan.sans;
  if (csr.sans.length > 0) {
    if (i.san?.length && !sameSans(csr.sans, plan.sans)) {
      throw new UsageError(`--san does not match the CSR's SANs (${csr.sans.map((s) => s.value).join(', ')}); omit --san to use the CSR's`);
    }
    sans = csr.sans;
  }
  return { csrPem: csr.pem, spki: csr.spki, sans };
}

function generated(plan: IssuePlan): KeyAndCsr {
  const key = generateEcKey();
  return { csrPem: createCsr(key.pair, plan.commonName, plan.sans), spki: key.pair.spki, sans: plan.sans, privatePem: key.privatePem };
}

export async function issueCertificate(f: Factory, i: IssueInput): Promise<IssueResult> {
  const plan = planIssue(i, f.clock());
  const material = i.csr ? await fromCsr(i, plan, f.io) : undefined;
  // After the offline checks, before anything is sent: an existing certificate file is replaced only when the user says so.
  if (i.out !== undefined && existsSync(i.out)) await confirmReplace(f, i.out, 'certificate file');
  const conn = await StepCaConnection.open(f);
  try {
    const secret = await provisionerSecret(f, conn, i.provisioner);
    const roots = await conn.roots();
    const prov = await provisionerKey(conn, secret);
    const kc = material ?? generated(plan);
    const rootDer = pemBlocks(roots[0]!)[0]!.der;
    const ott = await mintOtt({
      key: prov.key, provisioner: prov.name, caUrl: conn.url, purpose: 'sign', subject: plan.commonName,
      sans: kc.sans.map((s) => s.value), sha: conn.endpoint.fingerprint ?? sha256Hex(rootDer), now: f.clock(),
    });
    const client = await conn.client();
    const res = await client.sign({ csr: kc.csrPem, ott, ...(i.notAfter ? { notAfter: i.notAfter } : {}) });
    const checked = checkIssued(res, kc.spki, roots, new Date(f.clock()));
    const inventory = Inventory.open(f.paths.stateDir, conn.context.name);
    const record = { serial: checked.info.serial, serialHex: checked.info.serialHex, commonName: checked.info.commonName,
      sans: checked.info.sans.map((s) => s.value), notBefore: checked.info.notBefore, notAfter: checked.info.notAfter,
      isCA: checked.info.isCA, provisioner: prov.name, source: 'issue' as const, recordedAt: new Date(f.clock()).toISOString() };
    if (checked.info.isCA && !i.ca) {
      // A provisioner with a Sub-CA template (a CDM provider's tenant-sub-ca-signer, the provider
      // context's default) turns any request into a CA under the platform root. Unasked for, it is
      // not written and a key made here is dropped, so the certificate can sign nothing; the
      // inventory keeps its serial for the revocation.
      inventory.put(record);
      throw new ConflictError(`provisioner ${prov.name} issued a CA certificate (serial ${checked.info.serial}, CN ${checked.info.commonName ?? plan.commonName}${checked.info.pathLength !== null ? `, pathlen ${checked.info.pathLength}` : ''}); cdm wrote neither it nor ${kc.privatePem ? 'its key, which is dropped: the certificate can sign nothing' : 'anything else'}`, {
        hint: `for a leaf certificate use a leaf provisioner (--provisioner <name>); pass --ca to mean a CA certificate (a tenant Sub-CA). Serial ${checked.info.serial} stays valid at the CA until revoked: cdm cert revoke ${checked.info.serial} --reason superseded --confirm ${checked.info.serial}`,
      });
    }
    // Recorded before the files: whatever happens to them, the serial the CA issued is known.
    inventory.put(record);
    try {
      if (i.keyOut && kc.privatePem) {
        // Checked again: another process may have created it while we talked to the CA.
        refuseExisting(i.keyOut, 'key file');
        writeKey(i.keyOut, kc.privatePem);
      }
      if (i.out) writeCertificate(i.out, checked.chain.join(''));
    } catch (err) {
      // Not exit 2 (bad input, nothing sent): the CA has issued by now.
      const E = err instanceof ConflictError ? ConflictError : CdmError;
      throw new E(`${(err as Error).message}; certificate ${checked.info.serial} was issued but not written (\`cdm cert show ${checked.info.serial}\` has its record)`);
    }
    // Absolute: `cdm cert list|show` and renewals read the record from any directory.
    inventory.update(checked.info.serial, { ...(i.out ? { certFile: resolve(i.out) } : {}), ...(i.keyOut ? { keyFile: resolve(i.keyOut) } : {}) });
    return { certificate: checked.info, chain: checked.chain, provisioner: prov.name, certFile: i.out ?? null, keyFile: i.keyOut ?? null };
  } finally {
    await conn.close();
  }
}
