import type { MutatingVerb } from '../../src/core/command-spec.js';
import { TENANT_ARG, tenantIdArg } from './options.js';
import { count } from '../../src/core/plural.js';

export const offboard: MutatingVerb = {
  name: 'offboard',
  summary: 'Remove a tenant: revoke its Sub-CA, delete its RabbitMQ user and vhost and federation client (severe)',
  description: 'Provider side, on a provider context. Steps: revoke the Sub-CA serial the bridge recorded at the provider CA (reason cessationOfOperation; passive: renewal is refused, relying parties only learn it through a CRL), delete the RabbitMQ user <id>-mqtt-bridge and vhost <id>, delete the Keycloak client cdm-federation-<id>, and mark the tenant removed at the bridge (DELETE /portal/admin/tenants/{id}). Each finished step is recorded in $CDM_STATE_DIR/tenants/<id>/offboard.json; a re-run skips those. The steps are independent: one that fails does not stop the others, and the command exits 6 naming how to resume. Severe: type the tenant id on a terminal, or pass --confirm <id>.',
  args: [TENANT_ARG],
  examples: [
    { command: 'cdm tenant offboard acme --context local-provider', description: 'asks you to type "acme"' },
    { command: 'cdm tenant offboard acme --confirm acme -o json', description: 'in a script: per-step report as data' },
    { command: 'cdm tenant offboard acme --dry-run', description: 'the plan, marking steps an earlier run finished' },
  ],
  mutates: true,
  severe: true,
  target: (ctx) => tenantIdArg(ctx.args.id),
  async plan(ctx) {
    const { planOffboard } = await import('../../src/workflows/tenant/offboard.js');
    return planOffboard(ctx.f, tenantIdArg(ctx.args.id));
  },
  async run(ctx) {
    const id = tenantIdArg(ctx.args.id);
    const { offboardTenant } = await import('../../src/workflows/tenant/offboard.js');
    const r = await offboardTenant(ctx.f, id);
    const out = ctx.f.output();
    if (out.machine) await out.item('TenantOffboard', r);
    else await out.list('TenantOffboardStep', r.steps, [
      { header: 'STEP', value: (s) => s.step },
      { header: 'TARGET', value: (s) => s.target },
      { header: 'OUTCOME', value: (s) => s.outcome },
      { header: 'DETAIL', value: (s) => s.detail ?? '' },
    ]);
    if (r.failed > 0) {
      out.warn(`${count(r.failed, 'step')} of offboarding ${id} failed; finished steps are recorded in ${r.journal}. Fix the cause and resume with: cdm tenant offboard ${id} --confirm ${id} --context ${r.context}`);
      return 6;
    }
    if (r.steps.some((s) => s.step === 'revoke-sub-ca' && s.outcome === 'done')) {
      out.warn(`The Sub-CA of ${id} is revoked PASSIVELY: the provider CA refuses to renew it, but certificates it issued stay valid for relying parties until they expire unless those read a CRL.`);
    }
  },
};
