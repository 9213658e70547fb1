import type { ReadVerb } from '../../src/core/command-spec.js';
import { TENANT_VIEW } from './views.js';

export const list: ReadVerb = {
  name: 'list',
  summary: 'Tenants known to the provider bridge, with join state and Sub-CA',
  description: 'Provider side: GET /portal/admin/tenants of the provider context\'s bridge (prepared, pending, joined, approved, rejected, removed).',
  examples: [
    { command: 'cdm tenant list --context local-provider', description: 'every tenant' },
    { command: 'cdm tenant list -o json | jq -r \'.items[] | select(.joinState=="joined") | .tenantId\'', description: 'joined tenants, as data' },
  ],
  mutates: false,
  async run(ctx) {
    const { BridgeAdmin } = await import('../../src/services/bridge/tenants.js');
    const { tenantItem } = await import('../../src/workflows/tenant/show.js');
    const bridge = await BridgeAdmin.open(ctx.f);
    await ctx.f.output().list('Tenant', (await bridge.tenants()).map(tenantItem), TENANT_VIEW, { empty: 'No tenants yet: `cdm tenant onboard <id>` adds one.' });
  },
};
