import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);

function options(ctx: CommandContext): { clients: string[]; tenantContexts: string[]; showSecrets: boolean } {
  const clients = list(ctx.flags.client);
  for (const c of clients) if (!/^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/.test(c)) throw new UsageError(`invalid client id "${c}"`);
  const showSecrets = ctx.flags.showSecrets === true;
  if (showSecrets && !ctx.f.output().machine) throw new UsageError('--show-secrets needs -o json or -o yaml (secrets never appear in tables)');
  return { clients, tenantContexts: list(ctx.flags.tenantContext), showSecrets };
}

export const rotateSecrets: MutatingVerb = {
  name: 'rotate-secrets',
  summary: 'Incident: regenerate client secrets of the context\'s realm and print where each must be updated',
  description: 'POST /admin/realms/{realm}/clients/{uuid}/client-secret for each client, with the context\'s stored Keycloak client credential (realm-admin in its own realm). Default clients: the realm\'s confidential clients cdm knows how to follow up — the context\'s own stored client (cdm-sandbox in a sandbox), every cdm-federation-<tenant> (provider realm), and the platform clients grafana, grafana-broker, portal, iot-bridge, thingsboard, hawkbit, rabbitmq-management and pgadmin; others only when named with --client. The table says for each client where the new secret must go and whether cdm did it: the context\'s own client is written to the cdm credential store (its own client is rotated last); cdm-federation-<t> is written into the identity provider cdm-provider of realm <t> when that tenant\'s context is given with --tenant-context; the platform clients name the .env variable to update (e.g. grafana → GRAFANA_OIDC_SECRET). New secrets never appear in tables or logs; `-o json --show-secrets` puts them on stdout for a secrets manager. Exit 6 when a rotation or a follow-up cdm attempted failed.',
  flags: [
    { flags: '--client <id...>', description: 'client ids to rotate (repeat or comma-separate; default: the known confidential clients, see above)' },
    { flags: '--tenant-context <name...>', description: 'tenant context(s) whose identity provider cdm-provider gets the new cdm-federation-<tenant> secret', complete: 'contexts' },
    { flags: '--show-secrets', description: 'include the new secrets in -o json/yaml output (never in tables)' },
  ],
  examples: [
    { command: 'cdm tenant rotate-secrets --dry-run --context local-acme', description: 'which clients would be rotated, and the follow-ups' },
    { command: 'cdm tenant rotate-secrets --client grafana --yes -o json --show-secrets | vault kv put secret/grafana -', description: 'one client, the new secret to a secrets manager' },
    { command: 'cdm tenant rotate-secrets --client cdm-federation-acme --tenant-context local-acme --context local-provider --yes', description: 'federation client, and the tenant\'s IdP updated' },
  ],
  mutates: true,
  confirm: true,
  async plan(ctx) {
    const opts = options(ctx);
    const { planRotateSecrets } = await import('../../src/workflows/tenant/rotate-secrets.js');
    return planRotateSecrets(ctx.f, opts);
  },
  async run(ctx) {
    const opts = options(ctx);
    const { rotateSecrets: rotate } = await import('../../src/workflows/tenant/rotate-secrets.js');
    const r = await rotate(ctx.f, opts);
    const out = ctx.f.output();
    if (out.machine) await out.item('SecretRotation', r);
    else await out.list('RotatedClient', r.clients, [
      { header: 'CLIENT', value: (c) => c.client },
      { header: 'ROTATED', value: (c) => c.rotation },
      { header: 'FOLLOW-UP', value: (c) => c.followUp },
      { header: 'WHERE', value: (c) => c.where },
      { header: 'DETAIL', value: (c) => c.detail ?? '' },
    ]);
    if (r.clients.length === 0) out.warn(`no client to rotate in realm ${r.realm}; name one with --client`);
    if (r.manual > 0 && !opts.showSecrets) {
      out.warn(`${r.manual} new secret(s) must be set by hand where the table says: read each in the Keycloak admin console (realm ${r.realm} → Clients → <client> → Credentials), or rotate with -o json --show-secrets to receive them on stdout.`);
    }
    if (r.failed > 0) {
      out.warn(`${r.failed} rotation(s) or follow-up(s) failed (see DETAIL); a client that was rotated keeps its new secret.`);
      return 6;
    }
  },
};
