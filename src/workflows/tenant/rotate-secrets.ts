// `cdm tenant rotate-secrets [--client <id>…]` (incident verb): regenerate confidential client
// secrets in the context's realm and say, per client, where the new secret must go. cdm follows up
// itself where it can: the context's own stored client credential (cdm's credential store) and the
// federation clients `cdm-federation-<tenant>` (the tenant realm's identity provider cdm-provider,
// when that tenant's context is given with --tenant-context). New secrets are never printed or
// logged, except on stdout with `-o json|yaml --show-secrets`.
//
// Default clients: the realm's confidential clients cdm knows how to follow up — the context's
// stored client, every cdm-federation-*, and the platform clients of cdm-platform.md §1.3/§1.5
// (grafana, grafana-broker, portal, iot-bridge, thingsboard, hawkbit, rabbitmq-management, pgadmin).
// Keycloak's built-in clients (broker, realm-management, …) and unknown ones are rotated only when
// named with --client.
import type { Factory } from '../../core/factory.js';
import type { Plan, PlanStep } from '../../core/command-spec.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import type { ClientRep } from '../../services/keycloak/admin.js';
import { PROVIDER_IDP_ALIAS } from '../../services/keycloak/federation.js';
import { confidentialClients, regenerateSecret, setIdpSecret } from '../../services/keycloak/secrets.js';
import { incidentAdmin, type IncidentAdmin } from '../../services/keycloak/sessions.js';
import { factoryFor } from './scope.js';
import { count } from '../../core/plural.js';

const FEDERATION = /^cdm-federation-([a-z0-9]([a-z0-9-]*[a-z0-9])?)$/;

/** Platform clients and the setting that carries their secret (cdm-platform.md §1.3, §1.5, §4.2, §4.3). */
const KNOWN: Record<string, string> = {
  grafana: 'GRAFANA_OIDC_SECRET in the stack\'s .env (grafana; the tenant realm\'s grafana-broker shares this variable), then restart grafana',
  'grafana-broker': 'GRAFANA_OIDC_SECRET (tenant stack .env, shared with grafana) or GRAFANA_BROKER_SECRET (provider keycloak env), then restart grafana',
  portal: 'PORTAL_OIDC_SECRET in the .env of the bridge (one value for the portal client of every realm it serves), then restart the bridge',
  'iot-bridge': 'BRIDGE_OIDC_SECRET in the stack\'s .env (the bridge\'s KEYCLOAK_CLIENT_SECRET), then restart the bridge',
  thingsboard: 'TB_OIDC_SECRET in the tenant stack\'s .env (ThingsBoard OAuth2), then restart thingsboard',
  hawkbit: 'HB_OIDC_SECRET in the tenant stack\'s .env (hawkBit OIDC), then restart hawkbit',
  'rabbitmq-management': 'RABBITMQ_MANAGEMENT_OIDC_SECRET in the provider .env (rabbitmq advanced.config), then restart rabbitmq',
  pgadmin: 'PGADMIN_OIDC_SECRET in the provider .env (pgadmin OAuth config), then restart pgadmin',
};

export type FollowUp = 'updated' | 'manual' | 'failed';

export interface RotatedClient {
  client: string;
  realm: string;
  /** Where the new secret must be set. */
  where: string;
  /** rotated: a new secret exists; failed: the secret is unchanged. */
  rotation: 'rotated' | 'failed';
  /** updated: cdm put the new secret there; manual: someone must; failed: cdm tried and could not. */
  followUp: FollowUp;
  detail?: string;
  /** Only with --show-secrets and machine output. */
  secret?: string;
}

export interface RotateResult {
  context: string;
  realm: string;
  via: string;
  clients: RotatedClient[];
  failed: number;
  manual: number;
}

export interface RotateOptions {
  clients?: readonly string[];
  tenantContexts?: readonly string[];
  showSecrets?: boolean;
}

interface Target {
  rep: ClientRep;
  where: string;
  /** How cdm follows up; undefined: manual. */
  auto?: { kind: 'store'; context: string } | { kind: 'idp'; tenant: string; tenantContext: string };
}

/** --tenant-context names → tenant id → context name; each must be a tenant context. */
async function tenantContexts(f: Factory, names: readonly string[]): Promise<Map<string, string>> {
  const store = await f.contexts();
  const byTenant = new Map<string, string>();
  for (const name of names) {
    const c = store.get(name);
    if (c.type !== 'tenant' || !c.tenant) throw new UsageError(`--tenant-context ${name}: context "${name}" is not a tenant context`);
    if (byTenant.has(c.tenant)) throw new UsageError(`--tenant-context: two contexts for tenant "${c.tenant}"`);
    byTenant.set(c.tenant, name);
  }
  return byTenant;
}

async function selectTargets(f: Factory, a: IncidentAdmin, opts: RotateOptions): Promise<Target[]> {
  const tenants = await tenantContexts(f, opts.tenantContexts ?? []);
  const all = await confidentialClients(a, a.realm);
  let chosen: ClientRep[];
  if (opts.clients && opts.clients.length > 0) {
    const wanted = [...new Set(opts.clients)];
    const lacking = wanted.filter((id) => !all.some((c) => c.clientId === id));
    if (lacking.length > 0) {
      throw new NotFoundError(`realm ${a.realm} has no confidential client ${lacking.join(', ')}`, { service: 'keycloak', hint: `cdm tenant rotate-secrets --dry-run --context ${a.context} lists the ones cdm would rotate` });
    }
    chosen = wanted.map((id) => all.find((c) => c.clientId === id)!);
  } else {
    chosen = all.filter((c) => c.clientId === a.storedClientId || FEDERATION.test(c.clientId) || KNOWN[c.clientId] !== undefined);
  }
  for (const t of tenants.keys()) {
    if (!chosen.some((c) => c.clientId === `cdm-federation-${t}`)) throw new UsageError(`--tenant-context ${tenants.get(t)}: client cdm-federation-${t} is not among the clients to rotate in realm ${a.realm}`);
  }
  const targets = chosen.map((rep): Target => {
    const fed = FEDERATION.exec(rep.clientId);
    if (rep.clientId === a.storedClientId) {
      return { rep, where: `the cdm credential store of context ${a.context} (keycloak client credential)`, auto: { kind: 'store', context: a.context } };
    }
    if (fed) {
      const tenant = fed[1]!;
      const where = `identity provider ${PROVIDER_IDP_ALIAS} of tenant realm ${tenant} (config clientSecret; CDM_IDP_CLIENT_SECRET in its keycloak-federation.env)`;
      const tc = tenants.get(tenant);
      return tc ? { rep, where, auto: { kind: 'idp', tenant, tenantContext: tc } } : { rep, where };
    }
    return { rep, where: KNOWN[rep.clientId] ?? 'the service configured with this client' };
  });
  // The context's own client last: cdm keeps using its current token until then.
  return [...targets.filter((t) => t.auto?.kind !== 'store'), ...targets.filter((t) => t.auto?.kind === 'store')];
}

export async function planRotateSecrets(f: Factory, opts: RotateOptions): Promise<Plan> {
  const a = await incidentAdmin(f);
  const targets = await selectTargets(f, a, opts);
  const steps: PlanStep[] = [];
  for (const t of targets) {
    steps.push({ action: 'regenerate secret', target: `client ${t.rep.clientId}`, service: `keycloak (realm ${a.realm})` });
    if (t.auto?.kind === 'idp') steps.push({ action: 'set clientSecret', target: `identity provider ${PROVIDER_IDP_ALIAS} of realm ${t.auto.tenant}`, service: `keycloak (context ${t.auto.tenantContext})` });
    else if (t.auto?.kind === 'store') steps.push({ action: 'store new secret', target: `keycloak credential of context ${t.auto.context}`, service: 'cdm credential store' });
    else steps.push({ action: 'update by hand', target: t.where, service: 'manual follow-up' });
  }
  return { summary: `regenerate the secrets of ${count(targets.length, 'client')} of realm ${a.realm}: ${targets.map((t) => t.rep.clientId).join(', ') || 'none'}`, steps };
}

export async function rotateSecrets(f: Factory, opts: RotateOptions): Promise<RotateResult> {
  const a = await incidentAdmin(f);
  const targets = await selectTargets(f, a, opts);
  const rows: RotatedClient[] = [];
  for (const t of targets) {
    const base = { client: t.rep.clientId, realm: a.realm, where: t.where };
    let secret: string;
    try {
      secret = await regenerateSecret(a, a.realm, t.rep);
    } catch (err) {
      if (f.signal.aborted) throw err;
      rows.push({ ...base, rotation: 'failed', followUp: 'failed', detail: `not rotated (old secret still valid): ${(err as Error).message}` });
      continue;
    }
    const shown = opts.showSecrets ? { secret } : {};
    try {
      if (t.auto?.kind === 'store') {
        const store = await f.credentials();
        const cur = store.service(t.auto.context, 'keycloak');
        if (cur && /^(env|file|cmd):/.test(cur.secret)) {
          rows.push({ ...base, rotation: 'rotated', followUp: 'manual', detail: `the context reads its secret from ${cur.secret}: put the new secret there`, ...shown });
        } else {
          store.setService(t.auto.context, 'keycloak', { username: t.rep.clientId, secret });
          // Tokens obtained with the old secret stay valid until they expire; re-login uses the new one.
          const tokens = store.tokens(t.auto.context);
          if (tokens?.grant === 'client_credentials' && tokens.clientId === t.rep.clientId) store.setTokens(t.auto.context, undefined);
          rows.push({ ...base, rotation: 'rotated', followUp: 'updated', detail: 'stored in the cdm credential store', ...shown });
        }
      } else if (t.auto?.kind === 'idp') {
        const tf = factoryFor(f, t.auto.tenantContext);
        try {
          const ta = await incidentAdmin(tf);
          const ok = await setIdpSecret(ta, ta.realm, PROVIDER_IDP_ALIAS, secret);
          rows.push(ok
            ? { ...base, rotation: 'rotated', followUp: 'updated', detail: `identity provider ${PROVIDER_IDP_ALIAS} of realm ${ta.realm} updated through context ${t.auto.tenantContext}`, ...shown }
            : { ...base, rotation: 'rotated', followUp: 'failed', detail: `realm ${ta.realm} has no identity provider ${PROVIDER_IDP_ALIAS}`, ...shown });
        } finally {
          await tf.close();
        }
      } else {
        rows.push({ ...base, rotation: 'rotated', followUp: 'manual', ...shown });
      }
    } catch (err) {
      if (f.signal.aborted) throw err;
      rows.push({ ...base, rotation: 'rotated', followUp: 'failed', detail: `rotated, but the follow-up failed: ${(err as Error).message}`, ...shown });
    }
  }
  return {
    context: a.context, realm: a.realm, via: a.via, clients: rows,
    failed: rows.filter((r) => r.followUp === 'failed').length, manual: rows.filter((r) => r.followUp === 'manual').length,
  };
}
