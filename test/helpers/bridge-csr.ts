// Key pairs and CSRs as a tenant makes them for the JOIN and a device for enrollment, and the
// certificate checks the bridge tests repeat (chain, CA flag), with @peculiar/x509.
import { inspectCert, makeCsr, signedBy } from './stepca-pki.js';

export { inspectCert, makeCsr, signedBy };

/** The JOIN payload of init-sub-ca.sh: Sub-CA CSR "<display> Issuing CA", MQTT-bridge CSR `<id>-mqtt-bridge`. */
export async function joinPayload(tenantId: string, displayName: string): Promise<{ sub_ca_csr: string; mqtt_bridge_csr: string; wg_pubkey: string; keycloak_url: string }> {
  const subCa = await makeCsr(`${displayName} Issuing CA`);
  const mqtt = await makeCsr(`${tenantId}-mqtt-bridge`);
  return { sub_ca_csr: subCa.csr, mqtt_bridge_csr: mqtt.csr, wg_pubkey: 'dGVuYW50LXdnLXB1YmxpYy1rZXktZm9yLXRlc3RzMDA9', keycloak_url: `https://${tenantId}.example/auth` };
}

/** First certificate of a PEM bundle. */
export function firstPem(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(pem);
  if (!m) throw new Error('no certificate in PEM');
  return m[0];
}
