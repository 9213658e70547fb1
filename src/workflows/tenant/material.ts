// The tenant's JOIN material, made on this machine (private keys never leave it): the Sub-CA
// EC P-256 key + CSR, the MQTT-bridge key + CSR (CN `<id>-mqtt-bridge`, the RabbitMQ user the
// bridge creates) and a WireGuard x25519 key pair (base64 raw keys, as `wg genkey` prints them).
// Everything the provider answers is verified against these keys before anything is installed.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { BackendError } from '../../core/errors.js';
import { createCsr } from '../../pki/csr.js';
import { generateEcKey, keyMatchesCertificate } from '../../pki/keys.js';
import { generateWgKeyPair } from '../../pki/wireguard-keys.js';
import { certificatePems } from '../../pki/pem.js';
import { verifyChain, type VerifyResult } from '../../pki/verify.js';
import type { JoinBundle } from '../../services/bridge/join.js';

export interface JoinMaterial {
  subCaKeyPem: string;
  subCaCsr: string;
  mqttKeyPem: string;
  mqttCsr: string;
  wgPrivate: string;
  wgPublic: string;
}

/**
 * The provider bridge signs the Sub-CA CSR with a token whose subject is the tenant id, and step-ca
 * refuses a CSR whose CN is not the token's subject (403): any other CN (upstream's init-sub-ca.sh
 * sends "<display name> Issuing CA") leaves the join without a Sub-CA and its key spent.
 */
export const subCaCommonName = (tenantId: string): string => tenantId;
export const mqttBridgeCommonName = (tenantId: string): string => `${tenantId}-mqtt-bridge`;

export function makeJoinMaterial(tenantId: string): JoinMaterial {
  const sub = generateEcKey();
  const mqtt = generateEcKey();
  const wg = generateWgKeyPair();
  return {
    subCaKeyPem: sub.privatePem,
    subCaCsr: createCsr(sub.pair, subCaCommonName(tenantId), []),
    mqttKeyPem: mqtt.privatePem,
    mqttCsr: createCsr(mqtt.pair, mqttBridgeCommonName(tenantId), [{ type: 'dns', value: mqttBridgeCommonName(tenantId) }]),
    wgPrivate: wg.privateKey,
    wgPublic: wg.publicKey,
  };
}

export interface VerifiedBundle {
  subCa: { serial: string; subject: string; issuer: string; notAfter: string; chain: VerifyResult };
  /** The provider intermediate (the bundle's misnamed root_ca_cert), then the provider root when known. */
  providerChain: string[];
  mqtt: { serial: string; subject: string; notAfter: string } | null;
  /** Parts the provider could not deliver (its provisioning steps fail independently). */
  missing: string[];
}

const fail = (message: string): never => {
  throw new BackendError(`the provider's JOIN answer does not verify: ${message}; nothing was installed`, { service: 'bridge', hint: 'report it to the provider; the join key is spent, a new one is needed' });
};

/**
 * Checks what the bridge sent: the Sub-CA certificate carries our key, is a CA, and chains to the
 * returned issuing CA (and to the provider root, when we know it); the MQTT certificate carries
 * its key and chains the same way.
 */
export function verifyBundle(b: JoinBundle, m: Pick<JoinMaterial, 'subCaKeyPem' | 'mqttKeyPem'>, tenantId: string, providerRootPem: string | undefined, now: Date): VerifiedBundle {
  if (b.tenant_id !== tenantId) fail(`it is for tenant "${b.tenant_id}", not "${tenantId}"`);
  const missing: string[] = [];
  if (!b.signed_cert) fail('no Sub-CA certificate (signed_cert is empty: the provider CA refused the CSR)');
  const certs = certificatePems(b.signed_cert);
  const issuers = certificatePems(b.root_ca_cert ?? '');
  if (certs.length === 0) fail('signed_cert is not a PEM certificate');
  if (issuers.length === 0) fail('no issuing CA certificate (root_ca_cert is empty)');
  const sub = new X509Certificate(certs[0]!);
  if (!keyMatchesCertificate(createPrivateKey(m.subCaKeyPem), certs[0]!)) fail('the Sub-CA certificate does not carry our Sub-CA key');
  if (!sub.ca) fail('the Sub-CA certificate is not a CA certificate');
  const roots = providerRootPem ? certificatePems(providerRootPem) : issuers;
  let chain: VerifyResult;
  try {
    chain = verifyChain([...certs, ...issuers], roots, now);
  } catch (err) {
    return fail(`Sub-CA chain: ${(err as Error).message}`);
  }
  let mqtt: VerifiedBundle['mqtt'] = null;
  if (b.mqtt_bridge_cert) {
    const mp = certificatePems(b.mqtt_bridge_cert);
    if (!mp[0] || !keyMatchesCertificate(createPrivateKey(m.mqttKeyPem), mp[0])) fail('the MQTT-bridge certificate does not carry our MQTT-bridge key');
    try {
      verifyChain([...mp, ...issuers], roots, now);
    } catch (err) {
      fail(`MQTT-bridge chain: ${(err as Error).message}`);
    }
    const mc = new X509Certificate(mp[0]!);
    mqtt = { serial: BigInt(`0x${mc.serialNumber}`).toString(10), subject: mc.subject.replace(/\n/g, ', '), notAfter: new Date(mc.validTo).toISOString() };
  } else {
    missing.push('mqtt_bridge_cert');
  }
  if (!b.cdm_idp_client_id || !b.cdm_idp_client_secret || !b.cdm_discovery_url) missing.push('keycloak_federation');
  if (!b.rabbitmq_vhost || !b.rabbitmq_user) missing.push('rabbitmq');
  return {
    subCa: {
      serial: BigInt(`0x${sub.serialNumber}`).toString(10), subject: sub.subject.replace(/\n/g, ', '), issuer: sub.issuer.replace(/\n/g, ', '),
      notAfter: new Date(sub.validTo).toISOString(), chain,
    },
    providerChain: [...issuers, ...(providerRootPem ? certificatePems(providerRootPem).filter((r) => !issuers.includes(r)) : [])],
    mqtt,
    missing,
  };
}
