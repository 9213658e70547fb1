import type { ReadVerb } from '../../src/core/command-spec.js';
import { TENANT_ARG, tenantIdArg } from './options.js';

export const show: ReadVerb = {
  name: 'show',
  summary: 'One tenant from every service: bridge, Keycloak federation client, RabbitMQ, Sub-CA',
  description: 'Provider side. Joins the bridge register (join state, Sub-CA serial and expiry), the provider Keycloak client cdm-federation-<id>, the RabbitMQ vhost, user and permissions, and the Sub-CA certificate verified up to the provider root (taken from this machine\'s join bundle, or --sub-ca-cert). A service that cannot be read shows its error instead of failing the whole view.',
  args: [TENANT_ARG],
  flags: [{ flags: '--sub-ca-cert <file>', description: 'the tenant\'s Sub-CA certificate (PEM, with its chain) to verify', complete: 'files' }],
  examples: [
    { command: 'cdm tenant show acme --context local-provider', description: 'everything about acme' },
    { command: 'cdm tenant show acme -o json | jq .pki', description: 'the Sub-CA part, as data' },
  ],
  mutates: false,
  async run(ctx) {
    const id = tenantIdArg(ctx.args.id);
    const { showTenant } = await import('../../src/workflows/tenant/show.js');
    const v = await showTenant(ctx.f, id, ctx.flags.subCaCert as string | undefined);
    const kc = v.keycloak, mq = v.rabbitmq;
    await ctx.f.output().item('Tenant', v, [
      { header: 'Tenant', value: (x) => `${x.tenantId} (${x.displayName})` },
      { header: 'Join state', value: (x) => `${x.joinState}${x.joinMethod ? ` (${x.joinMethod})` : ''}${x.joinedAt ? ` at ${x.joinedAt}` : ''}` },
      { header: 'Federation client', value: () => ('error' in kc ? `error: ${kc.error}` : `${kc.clientId} in realm ${kc.realm}: ${kc.present ? (kc.enabled === false ? 'disabled' : 'present') : 'absent'}`) },
      { header: 'RabbitMQ', value: () => ('error' in mq ? `error: ${mq.error}` : `vhost ${mq.vhost} ${mq.vhostPresent ? 'present' : 'absent'}, user ${mq.user} ${mq.userPresent ? 'present' : 'absent'}${mq.permissions ? `, permissions configure=${mq.permissions.configure} write=${mq.permissions.write} read=${mq.permissions.read}` : ', no permissions'}`) },
      { header: 'Sub-CA serial', value: (x) => x.pki.serial ?? '' },
      { header: 'Sub-CA subject', value: (x) => x.pki.subject ?? '' },
      { header: 'Sub-CA not after', value: (x) => x.pki.notAfter ?? '' },
      { header: 'Sub-CA revoked', value: (x) => (x.pki.revoked ? `${x.pki.revoked.at} (${x.pki.revoked.reason}) by cdm; passive: the tenant step-ca still signs with it and its certificates still chain` : ''), omitEmpty: true },
      { header: 'Chain valid', value: (x) => (x.pki.chainValid === null ? 'not checked' : x.pki.chainValid ? `yes (${x.pki.chain.join(' → ')})` : 'NO') },
      { header: 'Note', value: (x) => x.pki.note ?? '', omitEmpty: true },
      { header: 'Provisioning errors', value: (x) => Object.entries(x.provisioningErrors).map(([k, e]) => `${k}: ${e}`).join('; ') || 'none' },
    ]);
  },
};
