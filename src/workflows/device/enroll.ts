// `cdm device enroll`: the device's keys are made here (EC P-256 for its certificate through
// WebCrypto, Curve25519 for WireGuard), or its own CSR is used; the CSR's CN must be the device id
// (checked before anything is sent). The tenant bridge signs it at the tenant step-ca, creates the
// hawkBit target and the ThingsBoard device and allocates the WireGuard address (POST
// /devices/{id}/enroll). Key and wg0.conf are written 0600.
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { writeFileAtomic } from '../../config/atomic.js';
import { enrollAtBridge, type EnrollResponse } from '../../services/bridge/enroll.js';
import { checkDeviceId } from './input.js';
import { fillWgConfig, generateWgKeyPair } from './wireguard.js';

export const FILES = { key: 'device.key', cert: 'device.crt', ca: 'ca.crt', wg: 'wg0.conf' } as const;

export interface EnrollOptions {
  id: string;
  name?: string;
  type?: string;
  /** Path of the device's own CSR. */
  csr?: string;
  /** Generate the keys here and write everything into this directory. */
  out?: string;
  /** With --csr: the device's WireGuard public key, if it has one. */
  wgPublicKey?: string;
}

export interface EnrollResult {
  id: string;
  status: 'enrolled';
  wireguardIp: string;
  certSerial: string;
  certNotAfter: string;
  out: string | null;
  files: string[];
  /** With --csr and no --out: the PEMs themselves. */
  certificate?: string;
  caChain?: string;
  wireguardConfig?: string;
}

export interface Prepared {
  id: string;
  csrPem: string;
  keyPem?: string;
  wg?: { privateKey: string; publicKey: string };
}

/** Offline part: keys/CSR, all checks. Throws UsageError (exit 2) before anything is sent. */
export async function prepareEnrollment(o: EnrollOptions): Promise<Prepared> {
  checkDeviceId(o.id);
  if (o.csr !== undefined) {
    const { readCsrFile } = await import('../../pki/csr.js');
    let bytes: Buffer;
    try { bytes = readFileSync(o.csr); } catch (err) { throw new UsageError(`cannot read ${o.csr}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`); }
    const info = await readCsrFile(bytes, o.csr);
    if (info.commonName !== o.id) {
      throw new UsageError(`${o.csr}: the CSR's common name is "${info.commonName ?? ''}", not the device id "${o.id}"`, { hint: 'the bridge issues the certificate for the device id; make the CSR with CN=<device id>' });
    }
    if (o.out !== undefined) checkOut(o.out, false);
    return { id: o.id, csrPem: info.pem };
  }
  if (o.out === undefined) throw new UsageError('give the device\'s CSR with --csr <file>, or --generate --out <dir> to make its keys here');
  checkOut(o.out, true);
  const [{ generateEcKey }, { createCsr }] = await Promise.all([import('../../pki/keys.js'), import('../../pki/csr.js')]);
  const [key, wg] = await Promise.all([generateEcKey(), generateWgKeyPair()]);
  const csrPem = await createCsr(key.pair, o.id, [{ type: 'dns', value: o.id }]);
  return { id: o.id, csrPem, keyPem: key.privatePem, wg };
}

function checkOut(dir: string, withKey: boolean): void {
  for (const f of withKey ? Object.values(FILES) : [FILES.cert, FILES.ca, FILES.wg]) {
    if (existsSync(join(dir, f))) throw new ConflictError(`${join(dir, f)} already exists; refusing to overwrite a device's files`, { hint: 'choose another --out directory, or move the old files away' });
  }
}

/** Online part: the bridge call, then the files. */
export async function enrollPrepared(f: Factory, p: Prepared, o: EnrollOptions): Promise<EnrollResult> {
  const wgKey = p.wg?.publicKey ?? o.wgPublicKey;
  const res = await enrollAtBridge(f, p.id, { csr: p.csrPem, device_name: o.name ?? p.id, device_type: o.type ?? 'generic', ...(wgKey ? { wg_public_key: wgKey } : {}) });
  const cert = new X509Certificate(res.certificate);
  const base = { id: p.id, status: 'enrolled' as const, wireguardIp: res.wireguard_ip, certSerial: BigInt(`0x${cert.serialNumber}`).toString(), certNotAfter: new Date(cert.validTo).toISOString() };
  if (o.out === undefined) {
    return { ...base, out: null, files: [], certificate: res.certificate, caChain: res.ca_chain, wireguardConfig: res.wireguard_config };
  }
  return { ...base, out: o.out, files: writeFiles(o.out, p, res) };
}

function writeFiles(dir: string, p: Prepared, res: EnrollResponse): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  const put = (name: string, content: string, mode: number): void => {
    const file = join(dir, name);
    writeFileAtomic(file, content.endsWith('\n') ? content : `${content}\n`, mode);
    chmodSync(file, mode);
    written.push(file);
  };
  if (p.keyPem) put(FILES.key, p.keyPem, 0o600);
  put(FILES.cert, res.certificate, 0o644);
  put(FILES.ca, res.ca_chain, 0o644);
  put(FILES.wg, p.wg ? fillWgConfig(res.wireguard_config, p.wg.privateKey) : res.wireguard_config, 0o600);
  return written;
}
