import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';

const REALM = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;

function realmFlag(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const r = String(v);
  if (!REALM.test(r)) throw new UsageError(`invalid realm name "${r}"`);
  return r;
}

/** The realm: --realm, else the context's realm (resolved by plan, which runs before the confirmation). */
async function realmOf(ctx: CommandContext): Promise<string> {
  const { logoutRealm } = await import('../../src/workflows/tenant/logout-all.js');
  const r = await logoutRealm(ctx.f, realmFlag(ctx.flags.realm));
  ctx.flags.realm = r;
  return r;
}

export const logoutAll: MutatingVerb = {
  name: 'logout-all',
  summary: 'Incident: end every session of a Keycloak realm (refresh tokens issued before stop working) (severe)',
  description: 'POST /admin/realms/{realm}/logout-all with the context\'s stored Keycloak client credential (realm-admin in its own realm; the provider realm `cdm` through a provider context such as local-provider), or the login session when no client is stored. Keycloak removes the realm\'s user sessions and moves its not-before: refresh tokens issued earlier are refused, so every user and `cdm auth login` session must log in again; access tokens already issued stay valid until they expire (minutes) for services that do not introspect. The answer lists the client admin URLs Keycloak notified or failed to notify. Default realm: the context\'s. Severe: type the realm name on a terminal, or pass --confirm <realm>.',
  flags: [{ flags: '--realm <realm>', description: 'realm to log out (default: the context\'s realm)' }],
  examples: [
    { command: 'cdm tenant logout-all --context local-acme', description: 'asks you to type "acme"' },
    { command: 'cdm tenant logout-all --context local-provider --confirm cdm -o json', description: 'the provider realm, in a script' },
    { command: 'cdm tenant logout-all --dry-run', description: 'the plan; nothing is sent' },
  ],
  mutates: true,
  severe: true,
  target: (ctx) => String(ctx.flags.realm),
  async plan(ctx) {
    const realm = await realmOf(ctx);
    const { planLogoutAll } = await import('../../src/workflows/tenant/logout-all.js');
    return planLogoutAll(ctx.f, realm);
  },
  async run(ctx) {
    const realm = await realmOf(ctx);
    const { runLogoutAll } = await import('../../src/workflows/tenant/logout-all.js');
    const r = await runLogoutAll(ctx.f, realm);
    const out = ctx.f.output();
    if (out.machine) {
      await out.item('RealmLogout', r);
    } else {
      await out.list('RealmLogout', [r], [
        { header: 'REALM', value: (x) => x.realm },
        { header: 'LOGGED OUT AT', value: (x) => x.at },
        { header: 'AS', value: (x) => x.via },
        { header: 'CLIENTS NOTIFIED', value: (x) => String(x.successRequests.length) },
        { header: 'NOT NOTIFIED', value: (x) => x.failedRequests.join(', ') || '-' },
      ]);
    }
    out.warn(`Every session of realm ${realm} has ended: users and \`cdm auth login\` sessions must log in again. Access tokens already issued stay valid until they expire.`);
    if (r.failedRequests.length > 0) out.warn(`Keycloak could not notify ${r.failedRequests.length} client admin URL(s): ${r.failedRequests.join(', ')}; those applications may keep their own sessions until they expire.`);
  },
};
