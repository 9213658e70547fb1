// How tenant results render as tables. Types only: loaded with the command tree.
import type { View } from '../../src/core/output.js';
import type { TenantItem } from '../../src/workflows/tenant/show.js';

export const TENANT_VIEW: View<TenantItem> = [
  { header: 'TENANT', value: (t) => t.tenantId },
  { header: 'NAME', value: (t) => t.displayName },
  { header: 'STATE', value: (t) => t.joinState },
  { header: 'METHOD', value: (t) => t.joinMethod ?? '' },
  { header: 'SUB-CA SERIAL', value: (t) => t.subCaSerial ?? '' },
  { header: 'SUB-CA NOT AFTER', value: (t) => t.subCaNotAfter ?? '' },
  { header: 'VHOST', value: (t) => t.rabbitmqVhost ?? '', wide: true },
  { header: 'FEDERATION CLIENT', value: (t) => t.federationClientId ?? '', wide: true },
  { header: 'KEY EXPIRES', value: (t) => t.joinKeyExpiresAt ?? '', wide: true },
];
