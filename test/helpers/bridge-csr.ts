// Key pairs and CSRs as a tenant makes them for the JOIN and a device for enrollment, and the
// certificate checks the bridge tests repeat (chain, CA flag), with @peculiar/x509.
import { inspectCert, makeCsr, signedBy } from './stepca-pki.js';

export { inspectCert, makeCsr, signedBy };

/**
 * A JOIN payload that a real provider can sign: Sub-CA CSR with CN = tenant id (the bridge's token
 * subject), MQTT-bridge CSR `<id>-mqtt-bridge`. (init-sub-ca.sh's "<display> Issuing CA" CSR is
 * refused by step-ca; `subCaCn` makes one.)
 */
export async function joinPayload(tenantId: string, _displayName: string, subCaCn = tenantId): Promise<{ sub_ca_csr: string; mqtt_bridge_csr: string; wg_pubkey: string; keycloak_url: string }> {
  const subCa = await makeCsr(subCaCn);
  const mqtt = await makeCsr(`${tenantId}-mqtt-bridge`);
  return { sub_ca_csr: subCa.csr, mqtt_bridge_csr: mqtt.csr, wg_pubkey: 'dGVuYW50LXdnLXB1YmxpYy1rZXktZm9yLXRlc3RzMDA9', keycloak_url: `https://${tenantId}.example/auth` };
}

/** First certificate of a PEM bundle. */
export function firstPem(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(pem);
  if (!m) throw new Error('no certificate in PEM');
  return m[0];
}
