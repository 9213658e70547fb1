import type { MutatingVerb } from '../../src/core/command-spec.js';
import { TENANT_ARG, tenantIdArg } from './options.js';

export const prepare: MutatingVerb = {
  name: 'prepare',
  summary: 'Issue a single-use join key for a tenant at the provider bridge (7 days)',
  description: 'Provider side. POST /portal/admin/tenants/prepare on the provider context\'s bridge. The key is shown once (stdout; `-o json` as data); treat it as a secret (upstream\'s bridge keeps it in plain text in join_keys.json, the sandbox only its hash): hand it to the tenant operator over a secure channel, who runs `cdm tenant join --join-key-stdin`. A key works once; preparing again issues another key.',
  args: [TENANT_ARG],
  flags: [{ flags: '--display-name <name>', description: 'human name of the tenant (default: the id)' }],
  examples: [
    { command: 'cdm tenant prepare acme --display-name "ACME Corp" --context local-provider', description: 'a key for tenant acme' },
    { command: 'cdm tenant prepare acme -o json --context prod-provider | jq -r .joinKey > acme.key', description: 'keep the key in a file for the tenant operator' },
  ],
  mutates: true,
  async plan(ctx) {
    const id = tenantIdArg(ctx.args.id);
    return {
      summary: `issue a join key for tenant ${id}`,
      steps: [{ action: 'prepare', target: `tenant ${id}`, service: 'bridge', details: { displayName: (ctx.flags.displayName as string | undefined) ?? id, ttl: '7d', singleUse: true } }],
    };
  },
  async run(ctx) {
    const id = tenantIdArg(ctx.args.id);
    const { BridgeAdmin } = await import('../../src/services/bridge/tenants.js');
    const bridge = await BridgeAdmin.open(ctx.f);
    const p = await bridge.prepare(id, (ctx.flags.displayName as string | undefined) ?? id);
    const item = { tenantId: p.tenant_id, displayName: p.display_name, joinKey: p.join_key, expiresAt: p.expires_at, providerUrl: bridge.url };
    const out = ctx.f.output();
    await out.item('TenantJoinKey', item, [
      { header: 'Tenant', value: (x) => x.tenantId },
      { header: 'Display name', value: (x) => x.displayName },
      { header: 'Join key', value: (x) => x.joinKey },
      { header: 'Expires', value: (x) => x.expiresAt },
      { header: 'Provider URL', value: (x) => x.providerUrl },
    ]);
    out.note(`The key is shown only this once. The tenant operator runs: cdm tenant join --provider-url ${bridge.url} --join-key-stdin --context <tenant context>`);
  },
};
