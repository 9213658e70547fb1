// The provider's tenant register behind GET /portal/admin/tenants: one record per tenant id,
// moved through prepared → pending → joined | approved | rejected → removed by the JOIN routes.
import type { Bridge } from './context.js';
import type { ProvisioningResult } from './provisioning.js';
import { iso, lookup, setEntry, type BridgeState, type JoinState, type TenantRec } from './state.js';

function blank(tenantId: string, displayName: string, now: string): TenantRec {
  return {
    tenant_id: tenantId, display_name: displayName, join_state: 'prepared', join_method: null,
    sub_ca_serial: null, sub_ca_subject: null, sub_ca_not_after: null, mqtt_bridge_cert_serial: null,
    rabbitmq_vhost: null, rabbitmq_user: null, cdm_idp_client_id: null, keycloak_url: null, wg_pubkey: null,
    provisioning_errors: {}, prepared_at: null, joined_at: null, removed_at: null, updated_at: now,
  };
}

/** Inside a store.update: the record of `tenantId`, created when missing. */
export function tenantRecord(s: BridgeState, tenantId: string, displayName: string, nowMs: number): TenantRec {
  let t = lookup(s.tenants, tenantId);
  if (!t) {
    t = blank(tenantId, displayName, iso(nowMs));
    setEntry(s.tenants, tenantId, t);
  }
  if (displayName) t.display_name = displayName;
  t.updated_at = iso(nowMs);
  return t;
}

export function isJoined(s: BridgeState, tenantId: string): boolean {
  const state = lookup(s.tenants, tenantId)?.join_state;
  return state === 'joined' || state === 'approved';
}

export interface Joined {
  tenantId: string; displayName: string; state: Extract<JoinState, 'joined' | 'approved'>; method: 'key' | 'request';
  keycloakUrl: string; wgPubkey: string; result: ProvisioningResult;
}

/** Records a finished provisioning run (handshake or approval). */
export function recordJoin(b: Bridge, j: Joined): void {
  b.store.update((s) => {
    const t = tenantRecord(s, j.tenantId, j.displayName, b.now());
    const r = j.result;
    t.join_state = j.state;
    t.join_method = j.method;
    t.joined_at = iso(b.now());
    t.removed_at = null;
    t.keycloak_url = j.keycloakUrl || null;
    t.wg_pubkey = j.wgPubkey;
    t.provisioning_errors = r.errors;
    if (r.subCa) {
      t.sub_ca_serial = r.subCa.serial;
      t.sub_ca_subject = r.subCa.subject;
      t.sub_ca_not_after = r.subCa.notAfter;
    }
    if (r.mqttBridgeSerial) t.mqtt_bridge_cert_serial = r.mqttBridgeSerial;
    if (r.results['rabbitmq']) {
      t.rabbitmq_vhost = r.bundle.rabbitmq_vhost;
      t.rabbitmq_user = r.bundle.rabbitmq_user;
    }
    if (r.bundle.cdm_idp_client_id) t.cdm_idp_client_id = r.bundle.cdm_idp_client_id;
  });
}
