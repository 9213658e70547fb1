import type { ReadVerb } from '../../src/core/command-spec.js';

export const requests: ReadVerb = {
  name: 'requests',
  summary: 'Legacy join requests filed at the provider bridge (pending first)',
  description: 'Provider side: GET /portal/admin/join-requests. Tenants that joined with a key do not appear here (see `cdm tenant list`). --all includes approved and rejected requests.',
  flags: [{ flags: '--all', description: 'also approved and rejected requests' }],
  examples: [
    { command: 'cdm tenant requests --context local-provider', description: 'what waits for approval' },
    { command: 'cdm tenant requests --all -o json', description: 'every request, as data' },
  ],
  mutates: false,
  async run(ctx) {
    const { BridgeAdmin } = await import('../../src/services/bridge/tenants.js');
    const bridge = await BridgeAdmin.open(ctx.f);
    const all = (await bridge.requests()).map((r) => ({
      tenantId: r.tenant_id, displayName: r.display_name, status: r.status, requestedAt: r.requested_at,
      approvedAt: r.approved_at, rejectedAt: r.rejected_at, rejectedReason: r.rejected_reason, keycloakUrl: r.keycloak_url ?? null,
    }));
    const items = ctx.flags.all === true ? all : all.filter((r) => r.status === 'pending');
    await ctx.f.output().list('TenantJoinRequest', items, [
      { header: 'TENANT', value: (r) => r.tenantId },
      { header: 'NAME', value: (r) => r.displayName },
      { header: 'STATUS', value: (r) => r.status },
      { header: 'REQUESTED', value: (r) => r.requestedAt },
      { header: 'REASON', value: (r) => r.rejectedReason ?? '', wide: true },
    ], { empty: ctx.flags.all === true ? 'No join requests.' : 'No pending join requests (--all shows the approved and rejected ones too).' });
  },
};
