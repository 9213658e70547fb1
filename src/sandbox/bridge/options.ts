// Options of the bridge emulator: the settings of upstream's app/config.py (cdm-platform.md §2.1)
// that matter in the sandbox, grouped by backend.
export interface BridgeEmulatorOptions {
  role: 'provider' | 'tenant';
  /** undefined keeps the state in memory only. */
  stateFile?: string;
  /** Where operators reach this bridge (upstream EXTERNAL_URL + /api); named in the prepare hint. */
  publicUrl: string;
  now?: () => number;
  /**
   * Whose bearer tokens the bridge accepts, verified against the realm's JWKS (fetched over HTTP
   * through its discovery document). Provider: the `cdm` realm; admin routes need cdm-admin or
   * platform-admin. Tenant: the tenant realm (`<tenant id>` on the tenant Keycloak, where provider
   * admins arrive through the `cdm-provider` federation); reads need cdm-admin, cdm-operator or
   * cdm-viewer, changes cdm-admin or cdm-operator.
   */
  auth: { keycloakUrl: string; realm: string };
  /**
   * This stack's step-ca. Provider: `provisioner` signs tenant Sub-CAs (tenant-sub-ca-signer);
   * tenant: it signs device certificates (iot-bridge). `leafProvisioner` (provider only, default
   * `iot-bridge`, same password unless given) signs the MQTT-bridge client certificates.
   */
  stepca: {
    url: string; rootPem: string; provisioner: string; provisionerPassword: string;
    leafProvisioner?: string; leafProvisionerPassword?: string;
  };
  // provider role
  /** Master-realm admin (admin-cli password grant), to create cdm-federation-<id> clients in the auth realm. */
  keycloakAdmin?: { url: string; username: string; password: string };
  /** Management API base (the bridge appends /api). */
  rabbitmq?: { url: string; username: string; password: string };
  // tenant role
  tenantId?: string;
  hawkbit?: { url: string; username: string; password: string; tenant: string };
  thingsboard?: { url: string; username: string; password: string };
  /** Defaults as upstream's WG_SUBNET / WG_SERVER_URL:WG_PORT: 10.13.13.0/24, localhost:51820. */
  wireguard?: { subnet: string; serverPublicKey: string; endpoint: string };
}
