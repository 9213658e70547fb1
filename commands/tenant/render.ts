// Renders a join result (join and onboard). Loaded only inside `run`.
import type { Factory } from '../../src/core/factory.js';
import type { JoinResult } from '../../src/workflows/tenant/join.js';

export async function renderJoin(f: Factory, r: JoinResult, kind = 'TenantJoin'): Promise<number> {
  const out = f.output();
  await out.item(kind, r, [
    { header: 'Tenant', value: (x) => x.tenantId },
    { header: 'Status', value: (x) => x.status },
    { header: 'Provider', value: (x) => x.providerUrl },
    { header: 'Bundle', value: (x) => x.out },
    { header: 'Sub-CA', value: (x) => (x.subCa ? `${x.subCa.subject}, serial ${x.subCa.serial}, until ${x.subCa.notAfter}, chain valid to ${x.subCa.root}` : '') },
    { header: 'MQTT bridge cert', value: (x) => (x.mqttBridgeCert ? `${x.mqttBridgeCert.subject}, serial ${x.mqttBridgeCert.serial}` : '') },
    // The bridge names the vhost and user even when its RabbitMQ step failed (cdm-platform.md §2.2):
    // only the provider side can check them (`cdm tenant show`).
    { header: 'RabbitMQ', value: (x) => (x.rabbitmq ? `vhost ${x.rabbitmq.vhost}, user ${x.rabbitmq.user} (as the bridge reports; the provider checks it with cdm tenant show ${x.tenantId})` : '') },
    { header: 'Step-ca install', value: (x) => (x.install ? (x.install.mode === 'sandbox' ? `${x.install.outcome} in ${x.install.stepcaDir}` : 'manual (see below)') : '') },
    { header: 'Identity provider', value: (x) => (x.identityProvider ? ('realm' in x.identityProvider ? `${x.identityProvider.alias} in realm ${x.identityProvider.realm}: ${x.identityProvider.outcome}` : `${x.identityProvider.alias}: skipped (${x.identityProvider.reason})`) : '') },
    { header: 'Missing', value: (x) => x.missing.join(', ') || 'none' },
  ]);
  if (r.status === 'pending') {
    out.note(`The join request is pending approval by the provider. Collect it later with the same command and --wait (the keys stay in ${r.out}).`);
    return 0;
  }
  if (r.install?.mode === 'manual' && r.install.instructions) {
    out.warn(`Install the Sub-CA into the tenant step-ca by hand:\n${r.install.instructions.map((i) => `  ${i.file} → ${i.destination}${i.note ? ` (${i.note})` : ''}`).join('\n')}`);
  }
  if (r.missing.length > 0) {
    out.warn(`the provider could not deliver: ${r.missing.join(', ')} — ask it to re-provision; what was delivered is installed`);
    return 6;
  }
  return 0;
}
