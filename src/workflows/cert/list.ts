// `cdm cert list|show`: what cdm knows of the context's certificates, from this machine. step-ca
// cannot list or look up what it issued (see services/stepca/inventory.ts), so the view merges
// cdm's own records: the certificate inventory (issue, renew, revoke) and the device journal
// (each `cdm device enroll`, single or bulk, with the serial and expiry the bridge returned).
import { join } from 'node:path';
import { NotFoundError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { parseSerial } from '../../pki/serial.js';
import { Inventory, statusOf, type CertStatus, type InventoryRecord } from '../../services/stepca/inventory.js';
import { enrollmentHistory, type EnrolledRecord } from '../device/enrolled.js';
import { FILES } from '../device/files.js';

export interface InventoryItem extends InventoryRecord {
  status: CertStatus;
  context: string;
}

export interface ListFilter {
  /** Only certificates still valid, not renewed with cdm nor replaced by a later enrollment, that expire within this many ms. */
  expiringMs?: number;
  revoked?: boolean;
  /** The certificate the tenant bridge recorded for this device (merged with what cdm knows of it). */
  device?: string;
}

function item(r: InventoryRecord, context: string, now: number): InventoryItem {
  return { ...r, status: statusOf(r, now), context };
}

/** A device certificate as the journal knows it: serial, expiry, device and where its files went. */
function enrolledCertificate(e: EnrolledRecord, latestOfDevice: string): InventoryRecord | undefined {
  let serial;
  try { serial = parseSerial(e.certSerial); } catch { return undefined; }
  return {
    serial: serial.decimal, serialHex: serial.hex, commonName: e.id, sans: [], notBefore: e.certNotBefore ?? null, notAfter: e.certNotAfter ?? null,
    isCA: false, provisioner: null, source: 'enroll', recordedAt: e.at, device: e.id,
    ...(e.out ? { certFile: join(e.out, FILES.cert) } : {}),
    ...(e.keyFile ? { keyFile: e.keyFile } : {}),
    ...(latestOfDevice !== serial.decimal ? { supersededBy: latestOfDevice } : {}),
  };
}

/**
 * Every certificate cdm recorded for the context, by decimal serial. A device certificate that cdm
 * also revoked keeps `enroll` as its source and its enrollment time, and takes the inventory's
 * facts (revocation, files).
 */
export function knownCertificates(stateDir: string, context: string, inv: Inventory): Map<string, InventoryRecord> {
  const history = enrollmentHistory(stateDir, context);
  const latest = new Map<string, string>();
  for (const e of history) {
    try { latest.set(e.id, parseSerial(e.certSerial).decimal); } catch { /* an unreadable serial is left out */ }
  }
  const records = new Map<string, InventoryRecord>();
  for (const e of history) {
    const r = enrolledCertificate(e, latest.get(e.id) ?? '');
    if (r) records.set(r.serial, r);
  }
  for (const r of inv.all()) {
    const enrolled = records.get(r.serial);
    if (!enrolled) {
      records.set(r.serial, r);
      continue;
    }
    const source = r.source === 'revoke' || r.source === 'bridge' ? enrolled.source : r.source;
    const certFile = r.certFile ?? enrolled.certFile;
    const keyFile = r.keyFile ?? enrolled.keyFile;
    // Listed when it was enrolled, not when cdm later revoked it; what the revocation did not learn
    // (its record has no notBefore) the enrollment did.
    records.set(r.serial, {
      ...enrolled, ...r, source, recordedAt: enrolled.recordedAt, notBefore: r.notBefore ?? enrolled.notBefore, notAfter: r.notAfter ?? enrolled.notAfter,
      ...(enrolled.device ? { device: enrolled.device } : {}), ...(certFile ? { certFile } : {}), ...(keyFile ? { keyFile } : {}),
    });
  }
  // `cdm cert renew` of a device certificate records the successor with renewedFrom; the device's
  // own record is in the journal, which renew does not write.
  for (const r of inv.all()) {
    const from = r.renewedFrom ? records.get(r.renewedFrom) : undefined;
    if (from && from.renewedBy === undefined) from.renewedBy = r.serial;
    // Renewed over its own file: that file now holds the successor, not this certificate.
    if (from?.certFile !== undefined && from.certFile === r.certFile) delete from.certFile;
  }
  return records;
}

export async function listInventory(f: Factory, filter: ListFilter): Promise<{ items: InventoryItem[]; file: string }> {
  const ctx = await f.context();
  const inv = Inventory.open(f.paths.stateDir, ctx.name);
  const known = knownCertificates(f.paths.stateDir, ctx.name, inv);
  const now = f.clock();
  let items = [...known.values()].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).map((r) => item(r, ctx.name, now));
  if (filter.device !== undefined) items = await deviceItems(f, filter.device, known, ctx.name, now);
  if (filter.revoked) items = items.filter((r) => r.status === 'revoked');
  if (filter.expiringMs !== undefined) {
    const limit = now + filter.expiringMs;
    // A certificate cdm already renewed, or that a later enrollment replaced, needs nothing more:
    // its successor is listed on its own.
    items = items.filter((r) => r.status === 'valid' && r.renewedBy === undefined && r.supersededBy === undefined && r.notAfter !== null && Date.parse(r.notAfter) <= limit);
  }
  return { items, file: inv.path };
}

export async function showInventory(f: Factory, serialText: string): Promise<InventoryItem> {
  const serial = parseSerial(serialText);
  const ctx = await f.context();
  const inv = Inventory.open(f.paths.stateDir, ctx.name);
  const r = knownCertificates(f.paths.stateDir, ctx.name, inv).get(serial.decimal);
  if (!r) {
    throw new NotFoundError(`serial ${serial.decimal} is not among the certificates cdm recorded for context "${ctx.name}"`, {
      hint: 'step-ca has no API to look certificates up; cdm knows what it issued, renewed, revoked or enrolled devices with from this machine. Inspect a file with `cdm cert inspect <file>`',
    });
  }
  return item(r, ctx.name, f.clock());
}

/** What cdm recorded of one certificate of the context (inventory and enrollment journal), if anything. */
export async function recordedCertificate(f: Factory, serialDecimal: string): Promise<InventoryItem | undefined> {
  const ctx = await f.context();
  const r = knownCertificates(f.paths.stateDir, ctx.name, Inventory.open(f.paths.stateDir, ctx.name)).get(serialDecimal);
  return r ? item(r, ctx.name, f.clock()) : undefined;
}

/** The device's certificates among cdm's records: its enrollments, and leaves issued with its id as CN. */
export function certificatesOfDevice(known: Map<string, InventoryRecord>, device: string): InventoryRecord[] {
  return [...known.values()].filter((r) => r.device === device || (r.commonName === device && !r.isCA));
}

/**
 * Every certificate of the device: those cdm recorded (its enrollments, and certificates issued with
 * its id as common name) and the one the bridge holds now, oldest first. A device the bridge no
 * longer knows (deleted, isolated) still lists what cdm recorded; with neither, exit 3.
 */
async function deviceItems(f: Factory, device: string, known: Map<string, InventoryRecord>, context: string, now: number): Promise<InventoryItem[]> {
  const mine = certificatesOfDevice(known, device);
  try {
    const current = await bridgeCertificate(f, device, known, now);
    if (!mine.some((r) => r.serial === current.serial)) mine.push(current);
  } catch (err) {
    if (!(err instanceof NotFoundError) || mine.length === 0) throw err;
  }
  return mine.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).map((r) => item(r, context, now));
}

/** The certificate the bridge holds for the device, with what cdm knows of it. */
async function bridgeCertificate(f: Factory, device: string, known: Map<string, InventoryRecord>, now: number): Promise<InventoryRecord> {
  const { getBridgeDevice } = await import('../../services/bridge/devices.js');
  const d = await getBridgeDevice(f, device);
  if (!d.cert_serial) throw new NotFoundError(`the bridge has no certificate serial for device "${device}"`, { service: 'bridge' });
  const serial = parseSerial(d.cert_serial);
  return known.get(serial.decimal) ?? {
    serial: serial.decimal, serialHex: serial.hex, commonName: device, sans: [], notBefore: null, notAfter: d.cert_not_after ?? null,
    isCA: false, provisioner: null, source: 'bridge', recordedAt: d.enrolled_at ?? new Date(now).toISOString(), device,
  };
}
