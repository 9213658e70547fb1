// How cert results render as tables. Types only from the heavy modules: this file is loaded
// with the command tree.
import type { View } from '../../src/core/output.js';
import type { CertificateInfo } from '../../src/pki/certificate.js';
import type { CsrInspection } from '../../src/pki/inspect.js';
import type { InventoryItem } from '../../src/workflows/cert/list.js';

/** SAN labels as openssl and RFC 5280 name them: a URI SAN (type `url` in the data) shows as URI. */
const SAN_LABELS: Record<string, string> = { dns: 'DNS', ip: 'IP', email: 'EMAIL', url: 'URI' };
const sans = (xs: ReadonlyArray<{ type: string; value: string }>): string => xs.map((s) => `${SAN_LABELS[s.type] ?? s.type.toUpperCase()}:${s.value}`).join(', ');

export const CERT_VIEW: View<CertificateInfo> = [
  { header: 'Subject', value: (c) => c.subject },
  { header: 'Issuer', value: (c) => c.issuer },
  { header: 'Serial', value: (c) => c.serial },
  { header: 'Serial (hex)', value: (c) => c.serialHex },
  { header: 'Not before', value: (c) => c.notBefore },
  { header: 'Not after', value: (c) => c.notAfter },
  // Extensions a certificate may lack (a CA has no SANs or EKU) are left out on a terminal, as openssl does.
  { header: 'SANs', value: (c) => sans(c.sans), omitEmpty: true },
  { header: 'Key', value: (c) => c.keyType },
  { header: 'CA', value: (c) => (c.isCA ? `yes${c.pathLength === null ? '' : `, pathlen ${c.pathLength}`}` : 'no') },
  { header: 'Key usage', value: (c) => c.keyUsage.join(', '), omitEmpty: true },
  { header: 'Ext key usage', value: (c) => c.extKeyUsage.join(', '), omitEmpty: true },
  { header: 'SHA-256', value: (c) => c.fingerprintSha256 },
  { header: 'SHA-1', value: (c) => c.fingerprintSha1 },
];

export const CSR_VIEW: View<CsrInspection> = [
  { header: 'Type', value: () => 'certificate request' },
  { header: 'Subject', value: (c) => c.subject },
  { header: 'SANs', value: (c) => sans(c.sans), omitEmpty: true },
  { header: 'Key', value: (c) => c.keyType },
  { header: 'Signature', value: (c) => (c.signatureValid ? 'valid' : 'INVALID') },
];

export const INVENTORY_VIEW: View<InventoryItem> = [
  { header: 'SERIAL', value: (r) => r.serial },
  { header: 'COMMON NAME', value: (r) => r.commonName ?? '' },
  { header: 'NOT AFTER', value: (r) => r.notAfter ?? '' },
  { header: 'STATUS', value: (r) => r.status },
  { header: 'SOURCE', value: (r) => r.source },
  { header: 'FILE', value: (r) => r.certFile ?? '', wide: true },
  { header: 'PROVISIONER', value: (r) => r.provisioner ?? '', wide: true },
  { header: 'SANS', value: (r) => r.sans.join(','), wide: true },
];

export const INVENTORY_ITEM_VIEW: View<InventoryItem> = [
  { header: 'Serial', value: (r) => r.serial },
  { header: 'Serial (hex)', value: (r) => r.serialHex },
  { header: 'Common name', value: (r) => r.commonName ?? '' },
  { header: 'Device', value: (r) => r.device ?? '', omitEmpty: true },
  { header: 'SANs', value: (r) => r.sans.join(', '), omitEmpty: true },
  { header: 'Not before', value: (r) => r.notBefore ?? '', omitEmpty: true },
  { header: 'Not after', value: (r) => r.notAfter ?? '' },
  { header: 'Status', value: (r) => r.status },
  { header: 'Source', value: (r) => r.source },
  { header: 'Provisioner', value: (r) => r.provisioner ?? '', omitEmpty: true },
  { header: 'Certificate file', value: (r) => r.certFile ?? '', omitEmpty: true },
  { header: 'Key file', value: (r) => r.keyFile ?? '', omitEmpty: true },
  { header: 'Renewed from', value: (r) => r.renewedFrom ?? '', omitEmpty: true },
  { header: 'Renewed by', value: (r) => r.renewedBy ?? '', omitEmpty: true },
  { header: 'Superseded by', value: (r) => r.supersededBy ?? '', omitEmpty: true },
  { header: 'Revoked', value: (r) => (r.revoked ? `${r.revoked.at} (${r.revoked.reason}, code ${r.revoked.reasonCode})` : ''), omitEmpty: true },
  { header: 'Sub-CA of tenant', value: (r) => r.subCaTenant ?? '', omitEmpty: true },
];
