// The tenant register (GET /portal/admin/tenants, commands.md §7: tenants with their join state
// and Sub-CA serial) and upstream's DELETE /portal/admin/tenants/{realm_id} (admin_portal.py):
// deletes the Keycloak realm `<id>` on the provider Keycloak and the RabbitMQ vhost `<id>`, each
// 204 or 404 counting as deleted, answers {realm_id, results, errors} and refuses `master` and
// `cdm` with 400 {"error": …}. The register then shows the tenant as `removed`. The Sub-CA is not
// revoked and the federation client stays, as upstream (`cdm tenant offboard` does those).
import type { Router } from '../kit/router.js';
import { ADMIN_ROLES } from './auth.js';
import { audit, type Bridge } from './context.js';
import { PortalError, UnreachableError } from './errors.js';
import { iso, lookup } from './state.js';

const PROTECTED = new Set(['master', 'cdm']);

export function registerTenantRoutes(router: Router, b: Bridge): void {
  router.get('/portal/admin/tenants', async (ctx) => {
    await b.tokens.require(ctx, ADMIN_ROLES);
    const s = b.store.state;
    const nowMs = b.now();
    const tenants = Object.values(s.tenants).sort((x, y) => x.tenant_id.localeCompare(y.tenant_id)).map((t) => {
      const keys = Object.values(s.joinKeys).filter((k) => k.tenant_id === t.tenant_id);
      const open = keys.filter((k) => k.status === 'open' && Date.parse(k.expires_at) >= nowMs);
      return { ...t, open_join_keys: open.length, join_key_expires_at: open.map((k) => k.expires_at).sort().pop() ?? null };
    });
    ctx.send(200, { tenants, total: tenants.length });
  });

  router.delete('/portal/admin/tenants/:realmId', async (ctx) => {
    const caller = await b.tokens.require(ctx, ADMIN_ROLES);
    const id = ctx.params['realmId']!.toLowerCase();
    if (PROTECTED.has(id)) throw new PortalError(400, `Cannot delete protected realm '${id}'`);
    const results: Record<string, string> = {};
    const errors: Record<string, string> = {};
    const step = async (name: string, run: (() => Promise<void>) | undefined): Promise<void> => {
      if (!run) { errors[name] = `${name} admin API not configured`; return; }
      try {
        await run();
        results[name] = 'deleted';
      } catch (err) {
        errors[name] = err instanceof UnreachableError ? `${err.service} unreachable: ${err.message}` : (err as Error).message;
      }
    };
    const kc = b.keycloakAdmin, mq = b.rabbitmq;
    await step('keycloak', kc && (() => kc.deleteRealm(id)));
    await step('rabbitmq', mq && (() => mq.deleteVhost(id)));
    b.store.update((s) => {
      const t = lookup(s.tenants, id);
      if (!t) return;
      t.join_state = 'removed';
      t.removed_at = iso(b.now());
      t.updated_at = iso(b.now());
      // Keys still open for a removed tenant must not let it join again.
      for (const k of Object.values(s.joinKeys)) if (k.tenant_id === id && k.status === 'open') k.status = 'expired';
    });
    audit(b, { action: 'tenant.remove', actor: caller.name, target: id, outcome: Object.keys(errors).length ? 'partial' : 'success', details: { results, errors } });
    ctx.send(200, { realm_id: id, results, errors });
  });
}
