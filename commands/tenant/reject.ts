import type { MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { TENANT_ARG, tenantIdArg } from './options.js';

const reason = (v: unknown): string => {
  const r = String(v ?? '').trim();
  if (!r) throw new UsageError('--reason must not be empty');
  return r;
};

export const reject: MutatingVerb = {
  name: 'reject',
  summary: 'Reject a pending legacy join request, with a reason the tenant sees',
  description: 'Provider side: POST /portal/admin/tenants/{id}/reject. The tenant\'s `cdm tenant join --request --wait` stops with exit 5 and shows the reason.',
  args: [TENANT_ARG],
  flags: [{ flags: '--reason <text>', description: 'why (shown to the tenant)', required: true }],
  examples: [
    { command: 'cdm tenant reject acme --reason "no contract yet" --context local-provider', description: 'asks first on a terminal' },
    { command: 'cdm tenant reject acme --reason "duplicate" --yes', description: 'in a script' },
  ],
  mutates: true,
  confirm: true,
  async plan(ctx) {
    const id = tenantIdArg(ctx.args.id);
    return { summary: `reject the join request of tenant ${id}`, steps: [{ action: 'reject', target: `join request of ${id}`, service: 'bridge', details: { reason: reason(ctx.flags.reason) } }] };
  },
  async run(ctx) {
    const id = tenantIdArg(ctx.args.id);
    const why = reason(ctx.flags.reason);
    const { BridgeAdmin } = await import('../../src/services/bridge/tenants.js');
    const r = await (await BridgeAdmin.open(ctx.f)).reject(id, why);
    await ctx.f.output().item('TenantRejection', { tenantId: r.tenant_id, status: r.status, reason: why });
  },
};
