// What the bridge keeps (cdm-platform.md §2.3), in one JSON document per bridge. Provider: the
// JOIN key store (keys only as SHA-256 hashes: a key is shown once, at prepare), the legacy JOIN
// request store in upstream's field names, and a tenant register (upstream keeps none, so
// key-joined tenants were invisible; §10.2 #11). Tenant: the WireGuard peers with public keys
// (upstream's flat map had none, §2.3.3) merged into the device records. Both: the audit trail.

export type JoinKeyStatus = 'open' | 'used' | 'expired';

export interface JoinKeyRec {
  key_sha256: string;
  tenant_id: string;
  display_name: string;
  status: JoinKeyStatus;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  created_by: string;
}

/** Legacy store entry (join_requests.json), field for field. */
export interface JoinRequestRec {
  tenant_id: string;
  display_name: string;
  sub_ca_csr: string;
  mqtt_bridge_csr: string;
  wg_pubkey: string;
  keycloak_url: string;
  status: 'pending' | 'approved' | 'rejected';
  requested_at: string;
  approved_at: string | null;
  rejected_at: string | null;
  rejected_reason: string | null;
  signed_cert: string | null;
  root_ca_cert: string | null;
  rabbitmq_url: string | null;
  rabbitmq_vhost: string | null;
  rabbitmq_user: string | null;
  mqtt_bridge_cert: string | null;
  cdm_idp_client_id: string | null;
  cdm_idp_client_secret: string | null;
  cdm_discovery_url: string | null;
  wg_server_pubkey: string | null;
  wg_server_endpoint: string | null;
  wg_client_ip: string | null;
}

export type JoinState = 'prepared' | 'pending' | 'joined' | 'approved' | 'rejected' | 'removed';

export interface TenantRec {
  tenant_id: string;
  display_name: string;
  join_state: JoinState;
  join_method: 'key' | 'request' | null;
  sub_ca_serial: string | null;
  sub_ca_subject: string | null;
  sub_ca_not_after: string | null;
  mqtt_bridge_cert_serial: string | null;
  rabbitmq_vhost: string | null;
  rabbitmq_user: string | null;
  cdm_idp_client_id: string | null;
  keycloak_url: string | null;
  wg_pubkey: string | null;
  /** Steps of the last provisioning run that failed (upstream only logged them). */
  provisioning_errors: Record<string, string>;
  prepared_at: string | null;
  joined_at: string | null;
  removed_at: string | null;
  updated_at: string;
}

export interface DeviceRec {
  device_id: string;
  device_name: string;
  device_type: string;
  /** `enroll` (certificate issued) or `thingsboard_webhook` (IP allocated for a connect event). */
  source: 'enroll' | 'thingsboard_webhook';
  wireguard_ip: string;
  wg_public_key: string | null;
  cert_serial: string | null;
  cert_not_after: string | null;
  hawkbit_controller_id: string | null;
  thingsboard_device_id: string | null;
  enrolled_at: string;
  updated_at: string;
}

export interface TelemetryRow {
  time: string;
  tenant_id: string;
  device_id: string;
  metric_name: string;
  value: number | null;
  tags: { raw_type: string };
}

export interface AuditEvent {
  time: string;
  action: string;
  actor: string;
  target: string;
  outcome: 'success' | 'failure' | 'denied' | 'partial';
  details: Record<string, unknown>;
}

export interface BridgeState {
  version: 1;
  role: 'provider' | 'tenant';
  joinKeys: Record<string, JoinKeyRec>;
  joinRequests: Record<string, JoinRequestRec>;
  tenants: Record<string, TenantRec>;
  devices: Record<string, DeviceRec>;
  telemetry: TelemetryRow[];
  audit: AuditEvent[];
}

export function initialState(role: 'provider' | 'tenant'): BridgeState {
  return { version: 1, role, joinKeys: {}, joinRequests: {}, tenants: {}, devices: {}, telemetry: [], audit: [] };
}

/** Own-property lookup, so ids such as `__proto__` or `constructor` are plain misses. */
export function lookup<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/** Sets an entry even for keys like `__proto__` (a plain assignment would change the prototype). */
export function setEntry<T>(map: Record<string, T>, key: string, value: T): void {
  // Only `__proto__` is an accessor on Object.prototype; assignment is far cheaper on a large map.
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
