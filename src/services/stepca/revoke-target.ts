// What `cdm cert revoke` targets, worked out offline and synchronously (the severe confirmation
// needs the serial before anything runs). Light on purpose: loaded with the command tree, so it
// uses Node's built-in X.509 only.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { parseDeviceId, parseName } from '../../core/parse.js';
import { certificatePems } from '../../pki/pem.js';
import { parseReason, type Reason } from '../../pki/reasons.js';
import { parseSerial, serialFromBigInt, type Serial } from '../../pki/serial.js';

export interface RevokeInput {
  serial?: string;
  cert?: string;
  /** A device id: its certificate serial comes from the tenant bridge (`cert_serial`). */
  device?: string;
  reason: string;
  comment?: string;
  subCa?: string;
  provisioner?: string;
  /** What the caller already knows of the certificate (isolate: the bridge's record), for cdm's inventory. */
  known?: { commonName?: string; notAfter?: string | null };
}

export interface RevokeTarget {
  /** Undefined for --device, and for --sub-ca alone, until the bridge is asked. */
  serial?: Serial;
  device?: string;
  reason: Reason;
  /** Subject of --cert, when given. */
  subject?: string;
  subCa?: string;
}

/** The id a severe confirmation must repeat: the serial, the device id with --device, the tenant id with --sub-ca alone. */
export function confirmTarget(t: RevokeTarget): string {
  return t.serial?.decimal ?? t.device ?? t.subCa!;
}

/** Serial and reason, checked offline (synchronously: the severe confirmation needs the serial). */
export function revokeTarget(i: RevokeInput): RevokeTarget {
  const given = [i.serial, i.cert, i.device].filter((x) => x !== undefined).length;
  // --sub-ca alone: the serial is the one the provider bridge recorded for the tenant.
  if (given > 1 || (given === 0 && i.subCa === undefined)) {
    throw new UsageError('give the certificate to revoke as a serial argument, with --cert <file>, with --device <id> or with --sub-ca <tenant> alone (one of them)');
  }
  const reason = parseReason(i.reason);
  if (i.subCa !== undefined) parseName(i.subCa, 'tenant id');
  if (given === 0) return { subCa: i.subCa!, reason };
  if (i.device !== undefined) {
    if (i.subCa !== undefined) throw new UsageError('--device and --sub-ca exclude each other: a device certificate is not a Sub-CA');
    parseDeviceId(i.device);
    return { device: i.device, reason };
  }
  if (i.serial !== undefined) return { serial: parseSerial(i.serial), reason, ...(i.subCa ? { subCa: i.subCa } : {}) };
  let text: string;
  try {
    text = readFileSync(i.cert!, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${i.cert}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const pem = certificatePems(text)[0];
  if (!pem) throw new UsageError(`${i.cert}: no PEM CERTIFICATE found`);
  const c = new X509Certificate(pem);
  if (i.subCa !== undefined && !c.ca) throw new UsageError(`--sub-ca: the certificate in ${i.cert} is not a CA certificate`);
  return { serial: serialFromBigInt(BigInt(`0x${c.serialNumber}`)), reason, subject: c.subject.replace(/\n/g, ', '), ...(i.subCa ? { subCa: i.subCa } : {}) };
}

/** A tenant Sub-CA is revoked at the provider CA: any other context is bad input (checked for the plan too). */
export function refuseSubCaOutsideProvider(t: RevokeTarget, ctx: { name: string; type: string }): void {
  if (t.subCa !== undefined && ctx.type !== 'provider') {
    throw new UsageError(`--sub-ca revokes a tenant Sub-CA at the provider CA, but context "${ctx.name}" is a ${ctx.type} context`, { hint: 'pass --context <provider context>' });
  }
}
