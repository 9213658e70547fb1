// Legacy request/approve JOIN (cdm-platform.md §2.2): the tenant files a request, a provider admin
// approves (the same provisioning as the handshake, bundle kept in the store) or rejects, the
// tenant polls join-status. Request and status stay unauthenticated as upstream designed them
// (the tenant holds no provider credential yet); listing, approving and rejecting need a provider
// admin token, which upstream asks for and then ignores (§10.1 #1).
import type { Router } from '../kit/router.js';
import { ADMIN_ROLES } from './auth.js';
import { audit, type Bridge } from './context.js';
import { httpError } from './errors.js';
import { assertCsr } from './join.js';
import { runProvisioning } from './provisioning.js';
import { isJoined, recordJoin, tenantRecord } from './register.js';
import { iso, lookup, setEntry, type JoinRequestRec } from './state.js';
import { readModel, TENANT_ID_PATTERN } from './validate.js';

const notFound = (id: string): Error => httpError(404, `No JOIN request found for tenant '${id}'`);

function requestFor(b: Bridge, id: string): JoinRequestRec {
  const r = lookup(b.store.state.joinRequests, id);
  if (!r) throw notFound(id);
  return r;
}

export function registerLegacyRoutes(router: Router, b: Bridge): void {
  // Approvals in flight, so a double click cannot provision twice.
  const approving = new Set<string>();

  router.post('/portal/admin/join-request/:tenantId', async (ctx) => {
    const id = ctx.params['tenantId']!;
    const body = await readModel(ctx, {
      display_name: { kind: 'string', required: true },
      sub_ca_csr: { kind: 'string', required: true },
      wg_pubkey: { kind: 'string', required: true },
      keycloak_url: { kind: 'string', required: false, default: '' },
      mqtt_bridge_csr: { kind: 'string', required: false, default: '' },
    });
    if (!TENANT_ID_PATTERN.test(id)) throw httpError(422, 'tenant_id must be lowercase alphanumeric with optional hyphens');
    const existing = lookup(b.store.state.joinRequests, id);
    if (existing?.status === 'approved') throw httpError(409, `Tenant '${id}' is already approved.`);
    // A tenant that joined with a key is registered here; a stranger's request must not reset it.
    if (isJoined(b.store.state, id)) throw httpError(409, `Tenant '${id}' is already joined.`);
    await assertCsr(body['sub_ca_csr'] as string, 'sub_ca_csr');
    if (body['mqtt_bridge_csr']) await assertCsr(body['mqtt_bridge_csr'] as string, 'mqtt_bridge_csr');
    b.store.update((s) => {
      setEntry(s.joinRequests, id, {
        tenant_id: id, display_name: body['display_name'] as string, sub_ca_csr: body['sub_ca_csr'] as string,
        mqtt_bridge_csr: body['mqtt_bridge_csr'] as string, wg_pubkey: body['wg_pubkey'] as string,
        keycloak_url: body['keycloak_url'] as string, status: 'pending', requested_at: iso(b.now()),
        approved_at: null, rejected_at: null, rejected_reason: null, signed_cert: null, root_ca_cert: null,
        rabbitmq_url: null, rabbitmq_vhost: null, rabbitmq_user: null, mqtt_bridge_cert: null, cdm_idp_client_id: null,
        cdm_idp_client_secret: null, cdm_discovery_url: null, wg_server_pubkey: null, wg_server_endpoint: null, wg_client_ip: null,
      });
      const t = tenantRecord(s, id, body['display_name'] as string, b.now());
      t.join_state = 'pending';
      t.join_method = 'request';
    });
    audit(b, { action: 'tenant.join_request', actor: `tenant:${id}`, target: id, outcome: 'success', details: { display_name: body['display_name'] } });
    ctx.send(202, {
      status: 'pending', tenant_id: id, message: 'JOIN request received. Awaiting Provider Admin approval.',
      poll_url: `/portal/admin/tenants/${id}/join-status`,
    });
  });

  router.get('/portal/admin/join-requests', async (ctx) => {
    await b.tokens.require(ctx, ADMIN_ROLES);
    const list = Object.values(b.store.state.joinRequests).sort((x, y) => y.requested_at.localeCompare(x.requested_at));
    ctx.send(200, { join_requests: list, total: list.length });
  });

  router.post('/portal/admin/tenants/:tenantId/approve', async (ctx) => {
    const caller = await b.tokens.require(ctx, ADMIN_ROLES);
    await readModel(ctx, {});
    const id = ctx.params['tenantId']!;
    const req = requestFor(b, id);
    if (req.status === 'approved' || approving.has(id)) throw httpError(409, 'Already approved.');
    if (req.status === 'rejected') throw httpError(409, 'Request was rejected. Reset it before approving.');
    approving.add(id);
    try {
      const result = await runProvisioning(b, { tenantId: id, subCaCsr: req.sub_ca_csr, mqttBridgeCsr: req.mqtt_bridge_csr, keycloakUrl: req.keycloak_url });
      b.store.update((s) => {
        const r = lookup(s.joinRequests, id);
        if (!r) return;
        Object.assign(r, result.bundle, { status: 'approved', approved_at: iso(b.now()) });
      });
      recordJoin(b, { tenantId: id, displayName: req.display_name, state: 'approved', method: 'request', keycloakUrl: req.keycloak_url, wgPubkey: req.wg_pubkey, result });
      audit(b, {
        action: 'tenant.approve', actor: caller.name, target: id, outcome: Object.keys(result.errors).length ? 'partial' : 'success',
        details: { results: result.results, errors: result.errors, sub_ca_serial: result.subCa?.serial ?? null },
      });
      ctx.send(200, { tenant_id: id, status: 'approved', results: result.results, errors: result.errors, bundle: result.bundle });
    } finally {
      approving.delete(id);
    }
  });

  router.post('/portal/admin/tenants/:tenantId/reject', async (ctx) => {
    const caller = await b.tokens.require(ctx, ADMIN_ROLES);
    const body = await readModel(ctx, { reason: { kind: 'string', required: false, default: '' } });
    const id = ctx.params['tenantId']!;
    const req = requestFor(b, id);
    if (req.status === 'approved' || approving.has(id)) throw httpError(409, 'Cannot reject an already approved request.');
    const reason = (body['reason'] as string) || 'Rejected by provider admin.';
    b.store.update((s) => {
      const r = lookup(s.joinRequests, id);
      if (r) Object.assign(r, { status: 'rejected', rejected_at: iso(b.now()), rejected_reason: reason });
      tenantRecord(s, id, req.display_name, b.now()).join_state = 'rejected';
    });
    audit(b, { action: 'tenant.reject', actor: caller.name, target: id, outcome: 'success', details: { reason } });
    ctx.send(200, { tenant_id: id, status: 'rejected' });
  });

  router.get('/portal/admin/tenants/:tenantId/join-status', (ctx) => {
    const r = requestFor(b, ctx.params['tenantId']!);
    ctx.send(200, {
      tenant_id: r.tenant_id, status: r.status, signed_cert: r.signed_cert, root_ca_cert: r.root_ca_cert,
      rabbitmq_url: r.rabbitmq_url, rabbitmq_vhost: r.rabbitmq_vhost, rabbitmq_user: r.rabbitmq_user,
      mqtt_bridge_cert: r.mqtt_bridge_cert, cdm_idp_client_id: r.cdm_idp_client_id, cdm_idp_client_secret: r.cdm_idp_client_secret,
      cdm_discovery_url: r.cdm_discovery_url, wg_server_pubkey: r.wg_server_pubkey, wg_server_endpoint: r.wg_server_endpoint,
      wg_client_ip: r.wg_client_ip, rejected_reason: r.rejected_reason,
    });
  });
}
