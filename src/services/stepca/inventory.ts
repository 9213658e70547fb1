// step-ca has no API that lists or looks up issued certificates (its DB is internal; the admin
// API manages provisioners, not certificates). So `cdm cert list|show` read a LOCAL inventory:
// every certificate cdm issued, renewed or revoked through this context from this machine,
// kept per context under the state dir ($CDM_STATE_DIR/pki/<context>.json, 0600). It is a
// journal of cdm's own actions, not the CA's truth: certificates issued elsewhere are absent
// (`cdm cert list --device <id>` adds the one the tenant bridge recorded for that device).
// `cdm cert list|show` also read the device certificates of cdm's own enrollments from the
// device journal (src/workflows/cert/list.ts); they are not copied here.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../config/atomic.js';
import { withFileLock } from '../../config/file-lock.js';
import { UsageError } from '../../core/errors.js';

export interface InventoryRecord {
  serial: string;
  serialHex: string;
  commonName: string | null;
  sans: string[];
  notBefore: string | null;
  notAfter: string | null;
  isCA: boolean;
  provisioner: string | null;
  /**
   * What cdm did: issued it, got it by renewing another, or only revoked it (serial known);
   * `enroll`: the tenant bridge issued it when cdm enrolled the device (device journal);
   * `bridge` marks a certificate known only from the tenant bridge's device record (list --device).
   */
  source: 'issue' | 'renew' | 'revoke' | 'enroll' | 'bridge';
  /** Device id, for device certificates. */
  device?: string;
  /** A later enrollment of the same device replaced it (serial of the new certificate). */
  supersededBy?: string;
  recordedAt: string;
  certFile?: string;
  keyFile?: string;
  renewedFrom?: string;
  renewedBy?: string;
  /** Tenant whose Sub-CA this is (revoke --sub-ca). */
  subCaTenant?: string;
  revoked?: { at: string; reasonCode: number; reason: string };
}

export type CertStatus = 'valid' | 'expired' | 'revoked' | 'unknown';

interface InventoryDocument {
  apiVersion: string;
  context: string;
  certificates: Record<string, InventoryRecord>;
}

export function inventoryFile(stateDir: string, context: string): string {
  return join(stateDir, 'pki', `${context}.json`);
}

export function statusOf(r: Pick<InventoryRecord, 'revoked' | 'notAfter'>, now: number): CertStatus {
  if (r.revoked) return 'revoked';
  if (r.notAfter === null) return 'unknown';
  return Date.parse(r.notAfter) <= now ? 'expired' : 'valid';
}

export class Inventory {
  private doc: InventoryDocument;

  constructor(private readonly file: string, private readonly context: string) {
    this.doc = this.read();
  }

  static open(stateDir: string, context: string): Inventory {
    return new Inventory(inventoryFile(stateDir, context), context);
  }

  get path(): string {
    return this.file;
  }

  all(): InventoryRecord[] {
    return Object.values(this.doc.certificates).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  }

  get(serial: string): InventoryRecord | undefined {
    return Object.hasOwn(this.doc.certificates, serial) ? this.doc.certificates[serial] : undefined;
  }

  put(record: InventoryRecord): void {
    this.modify(() => {
      const old = this.get(record.serial);
      this.doc.certificates[record.serial] = { ...old, ...record };
      return true;
    });
  }

  update(serial: string, change: Partial<InventoryRecord>): void {
    this.modify(() => {
      const old = this.get(serial);
      if (!old) return false;
      this.doc.certificates[serial] = { ...old, ...change };
      return true;
    });
  }

  /**
   * Applies a change to the file as it is now (another cdm may have recorded meanwhile), under its
   * lock; written only when `change` says it changed something.
   */
  private modify(change: () => boolean): void {
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    withFileLock(this.file, () => {
      this.doc = this.read();
      if (change()) writeJsonAtomic(this.file, this.doc, 0o600);
    });
  }

  private read(): InventoryDocument {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { apiVersion: 'cdm/v1', context: this.context, certificates: {} };
      throw err;
    }
    try {
      const doc = JSON.parse(text) as InventoryDocument;
      if (!doc || typeof doc.certificates !== 'object' || doc.certificates === null) throw new Error('no "certificates" object');
      return doc;
    } catch (err) {
      throw new UsageError(`certificate inventory ${this.file} is not valid: ${(err as Error).message}`, { hint: 'fix or move the file away' });
    }
  }
}
