// `cdm device enroll`: the device's keys are made here (EC P-256 for its certificate, Curve25519
// for WireGuard, both through node:crypto), or its own CSR is used; the CSR's CN must be the
// device id (checked before anything is sent). The tenant bridge signs it at the tenant step-ca,
// creates the hawkBit target and the ThingsBoard device and allocates the WireGuard address (POST
// /devices/{id}/enroll). Key and wg0.conf are written 0600 (files.ts).
import { BackendError, CdmError, ConflictError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { IOStreams } from '../../core/io.js';
import { inputName, readBytesInput } from '../../core/read-input.js';
import { certificateFacts, type CertFacts } from '../../pki/cert-facts.js';
import { enrollAtBridge, type EnrollResponse } from '../../services/bridge/enroll.js';
import { FILES, refuseOverwrite, refuseUnwritableDir, writeDeviceFiles, type DeviceFile } from './files.js';
import { parseDeviceId } from '../../core/parse.js';
import { generateWgKeyPair } from '../../pki/wireguard-keys.js';
import { fillWgConfig } from './wireguard.js';

export interface EnrollOptions {
  id: string;
  name?: string;
  type?: string;
  /** Path of the device's own CSR, or "-" for stdin. */
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
  certNotBefore: string;
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

/**
 * Offline part: keys/CSR, all checks. Throws UsageError (exit 2) before anything is sent. `io` is
 * where a `--csr -` is read from (a bulk row's csr "-" is a bad row, see input.ts).
 */
export async function prepareEnrollment(o: EnrollOptions, io: IOStreams): Promise<Prepared> {
  parseDeviceId(o.id);
  if (o.csr !== undefined) {
    const { readCsrFile } = await import('../../pki/csr.js');
    const source = inputName(o.csr);
    const info = await readCsrFile(await readBytesInput(o.csr, io, '--csr'), source);
    if (info.commonName !== o.id) {
      throw new UsageError(`${source}: the CSR's common name is "${info.commonName ?? ''}", not the device id "${o.id}"`, { hint: 'the bridge issues the certificate for the device id; make the CSR with CN=<device id>' });
    }
    if (o.out !== undefined) {
      refuseOverwrite(o.out, false);
      refuseUnwritableDir(o.out);
    }
    return { id: o.id, csrPem: info.pem };
  }
  if (o.out === undefined) throw new UsageError('give the device\'s CSR with --csr <file>, or --generate --out <dir> to make its keys here');
  refuseOverwrite(o.out, true);
  refuseUnwritableDir(o.out);
  const [{ generateEcKey }, { createCsr }] = await Promise.all([import('../../pki/keys.js'), import('../../pki/csr.js')]);
  const key = generateEcKey();
  const wg = generateWgKeyPair();
  const csrPem = createCsr(key.pair, o.id, [{ type: 'dns', value: o.id }]);
  return { id: o.id, csrPem, keyPem: key.privatePem, wg };
}

/** Online part: the bridge call, then the files. */
export async function enrollPrepared(f: Factory, p: Prepared, o: EnrollOptions): Promise<EnrollResult> {
  const wgKey = p.wg?.publicKey ?? o.wgPublicKey;
  const res = await enrollAtBridge(f, p.id, { csr: p.csrPem, device_name: o.name ?? p.id, device_type: o.type ?? 'generic', ...(wgKey ? { wg_public_key: wgKey } : {}) });
  let cert: CertFacts;
  try {
    cert = certificateFacts(res.certificate);
  } catch (err) {
    throw new BackendError(`bridge: enroll ${p.id}: the answer's certificate is unreadable (${(err as Error).message})`, { service: 'bridge' });
  }
  const base = { id: p.id, status: 'enrolled' as const, wireguardIp: res.wireguard_ip, certSerial: cert.serial, certNotBefore: cert.notBefore.toISOString(), certNotAfter: cert.notAfter.toISOString() };
  if (o.out === undefined) {
    return { ...base, out: null, files: [], certificate: res.certificate, caChain: res.ca_chain, wireguardConfig: res.wireguard_config };
  }
  try {
    return { ...base, out: o.out, files: await writeDeviceFiles(o.out, deviceFiles(p, res)) };
  } catch (err) {
    if (err instanceof ConflictError) throw err;
    // Not bad input (exit 2): the bridge has enrolled the device by now, and a key made here is gone.
    throw new CdmError(`${p.id} was enrolled at the bridge (certificate serial ${cert.serial}) but its files could not be written to ${o.out}: ${(err as Error).message}`, {
      hint: p.keyPem ? 'its key made here is lost: enroll it again into another --out (a new key and certificate), and revoke this serial' : 'enroll it again with its CSR into another --out',
    });
  }
}

/** Key and wg0.conf hold secrets made here (0600); certificate and CA chain are public (0644). */
function deviceFiles(p: Prepared, res: EnrollResponse): DeviceFile[] {
  return [
    ...(p.keyPem ? [{ name: FILES.key, content: p.keyPem, mode: 0o600 }] : []),
    { name: FILES.cert, content: res.certificate, mode: 0o644 },
    { name: FILES.ca, content: res.ca_chain, mode: 0o644 },
    { name: FILES.wg, content: p.wg ? fillWgConfig(res.wireguard_config, p.wg.privateKey) : res.wireguard_config, mode: 0o600 },
  ];
}
