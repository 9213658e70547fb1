import type { MutatingVerb } from '../../src/core/command-spec.js';
import { TENANT_ARG, tenantIdArg } from './options.js';

export const approve: MutatingVerb = {
  name: 'approve',
  summary: 'Approve a pending legacy join request (signs the Sub-CA, provisions RabbitMQ and federation)',
  description: 'Provider side: POST /portal/admin/tenants/{id}/approve. The bridge signs the tenant\'s Sub-CA CSR at the provider CA, creates the RabbitMQ vhost and user and the Keycloak client cdm-federation-<id>; the tenant collects the bundle with `cdm tenant join --request --wait`. Steps that failed at the bridge are listed and make the exit code 6.',
  args: [TENANT_ARG],
  examples: [
    { command: 'cdm tenant approve acme --context local-provider', description: 'asks first on a terminal' },
    { command: 'cdm tenant approve acme --yes -o json', description: 'in a script' },
  ],
  mutates: true,
  confirm: true,
  async plan(ctx) {
    const id = tenantIdArg(ctx.args.id);
    return {
      summary: `approve the join request of tenant ${id}`,
      steps: [
        { action: 'sign', target: `the Sub-CA CSR of ${id}`, service: 'step-ca (provider, via bridge)' },
        { action: 'create', target: `RabbitMQ vhost ${id}, user ${id}-mqtt-bridge`, service: 'rabbitmq (via bridge)' },
        { action: 'create', target: `Keycloak client cdm-federation-${id}`, service: 'keycloak (via bridge)' },
      ],
    };
  },
  async run(ctx) {
    const id = tenantIdArg(ctx.args.id);
    const { BridgeAdmin } = await import('../../src/services/bridge/tenants.js');
    const r = await (await BridgeAdmin.open(ctx.f)).approve(id);
    const item = { tenantId: r.tenant_id, status: r.status, results: r.results, errors: r.errors };
    const out = ctx.f.output();
    await out.item('TenantApproval', item, [
      { header: 'Tenant', value: (x) => x.tenantId },
      { header: 'Status', value: (x) => x.status },
      { header: 'Done', value: (x) => Object.entries(x.results).map(([k, v]) => `${k}: ${v}`).join('; ') },
      { header: 'Failed', value: (x) => Object.entries(x.errors).map(([k, v]) => `${k}: ${v}`).join('; ') || 'none' },
    ]);
    if (Object.keys(r.errors).length > 0) {
      out.warn(`approval of ${id} is partial: ${Object.keys(r.errors).join(', ')} failed at the bridge`);
      return 6;
    }
  },
};
