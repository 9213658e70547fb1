// The JOIN provisioning pipeline shared by the key handshake and legacy approval
// (`_run_provisioning`, cdm-platform.md §2.2): 1. sign the Sub-CA CSR with the Sub-CA signer;
// 2. RabbitMQ vhost `<id>` and user `<id>-mqtt-bridge`; 3. sign the MQTT-bridge CSR with the leaf
// provisioner; 4. the `cdm-federation-<id>` client in the provider realm. Each step runs on its
// own and a failure is recorded without stopping the others, as upstream.
//
// Token subject: as upstream, `sub` and `sans` are the tenant id (cdm-platform.md §3.1), and
// step-ca requires the CSR's CN to equal `sub` (403 otherwise, real-servers.md §1). A Sub-CA CSR
// with another CN (init-sub-ca.sh sends "<display name> Issuing CA") fails this step: 200 with an
// empty `signed_cert`, the key spent.
import type { Bridge } from './context.js';
import { UnreachableError } from './errors.js';
import { readCert, readCsr } from './pki.js';

export interface JoinInput {
  tenantId: string;
  subCaCsr: string;
  mqttBridgeCsr: string;
  keycloakUrl: string;
}

export interface Bundle {
  signed_cert: string;
  root_ca_cert: string;
  rabbitmq_url: string;
  rabbitmq_vhost: string;
  rabbitmq_user: string;
  mqtt_bridge_cert: string | null;
  cdm_idp_client_id: string | null;
  cdm_idp_client_secret: string | null;
  cdm_discovery_url: string | null;
}

export interface ProvisioningResult {
  bundle: Bundle;
  results: Record<string, string>;
  errors: Record<string, string>;
  subCa: { serial: string; subject: string; notAfter: string } | null;
  mqttBridgeSerial: string | null;
}

const message = (err: unknown): string =>
  err instanceof UnreachableError ? `${err.service} unreachable: ${err.message}` : (err as Error).message;

export async function runProvisioning(b: Bridge, input: JoinInput): Promise<ProvisioningResult> {
  const id = input.tenantId;
  const results: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const bundle: Bundle = {
    signed_cert: '', root_ca_cert: '', rabbitmq_url: b.opts.rabbitmq?.url ?? '', rabbitmq_vhost: id, rabbitmq_user: `${id}-mqtt-bridge`,
    mqtt_bridge_cert: null, cdm_idp_client_id: null, cdm_idp_client_secret: null, cdm_discovery_url: null,
  };
  let subCa: ProvisioningResult['subCa'] = null;
  let mqttBridgeSerial: string | null = null;
  const s = b.opts.stepca;

  try {
    await readCsr(input.subCaCsr);
    const signed = await b.stepca.sign(input.subCaCsr, s.provisioner, s.provisionerPassword, id, [id]);
    bundle.signed_cert = signed.crt;
    // Upstream's `root_ca_cert` is step-ca's `ca` field: the issuing (provider intermediate) CA.
    bundle.root_ca_cert = signed.ca;
    const facts = readCert(signed.crt);
    subCa = { serial: facts.serial, subject: facts.subject, notAfter: facts.notAfter };
    results['step_ca'] = 'signed';
  } catch (err) {
    errors['step_ca'] = message(err);
  }

  if (b.rabbitmq) {
    try {
      await b.rabbitmq.provisionTenant(id, bundle.rabbitmq_user, id);
      results['rabbitmq'] = 'provisioned';
    } catch (err) {
      errors['rabbitmq'] = message(err);
    }
  } else {
    errors['rabbitmq'] = 'RabbitMQ management API not configured';
  }

  if (input.mqttBridgeCsr) {
    try {
      const cn = bundle.rabbitmq_user;
      await readCsr(input.mqttBridgeCsr);
      const signed = await b.stepca.sign(input.mqttBridgeCsr, s.leafProvisioner ?? 'iot-bridge', s.leafProvisionerPassword ?? s.provisionerPassword, cn, [cn]);
      bundle.mqtt_bridge_cert = signed.crt;
      mqttBridgeSerial = readCert(signed.crt).serial;
      results['mqtt_bridge_cert'] = 'signed';
    } catch (err) {
      errors['mqtt_bridge_cert'] = message(err);
    }
  } else {
    results['mqtt_bridge_cert'] = 'skipped (no mqtt_bridge_csr provided)';
  }

  if (b.keycloakAdmin) {
    try {
      const client = await b.keycloakAdmin.ensureFederationClient(b.opts.auth.realm, id, input.keycloakUrl);
      bundle.cdm_idp_client_id = client.clientId;
      bundle.cdm_idp_client_secret = client.secret;
      bundle.cdm_discovery_url = `${await b.tokens.issuer()}/.well-known/openid-configuration`;
      results['keycloak_federation'] = 'client_created';
    } catch (err) {
      errors['keycloak_federation'] = message(err);
    }
  } else {
    errors['keycloak_federation'] = 'Keycloak admin API not configured';
  }

  return { bundle, results, errors, subCa, mqttBridgeSerial };
}
