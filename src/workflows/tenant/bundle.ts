// The join bundle on disk (`--out <dir>`): private keys 0600 written BEFORE anything is sent (a
// key that only lived in memory would be lost with a crash after the provider signed it), then
// the certificates and env files the provider's answer yields, and `bundle.json` (no secrets)
// recording where the join stands, so a re-run resumes instead of starting over.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../config/atomic.js';
import { UsageError } from '../../core/errors.js';
import type { JoinBundle } from '../../services/bridge/join.js';
import { PROVIDER_IDP_ALIAS } from '../../services/keycloak/federation.js';
import type { JoinMaterial, VerifiedBundle } from './material.js';

export const BUNDLE_FILES = {
  subCaKey: 'sub-ca.key',
  subCaCsr: 'sub-ca.csr',
  subCaCert: 'sub-ca.crt',
  providerCa: 'provider-ca.crt',
  mqttKey: 'mqtt-bridge.key',
  mqttCsr: 'mqtt-bridge.csr',
  mqttCert: 'mqtt-bridge.crt',
  wgKey: 'wireguard.key',
  wgPub: 'wireguard.pub',
  rabbitEnv: 'rabbitmq.env',
  federationEnv: 'keycloak-federation.env',
  state: 'bundle.json',
} as const;

export interface BundleState {
  apiVersion: 'cdm/v1';
  kind: 'TenantJoinBundle';
  tenantId: string;
  providerUrl: string;
  method: 'key' | 'request';
  status: 'material' | 'pending' | 'joined';
  displayName?: string;
  createdAt: string;
  joinedAt?: string;
  subCaSerial?: string;
  subCaSubject?: string;
  subCaNotAfter?: string;
  mqttBridgeSerial?: string | null;
  rabbitmqVhost?: string;
  rabbitmqUser?: string;
  federationClientId?: string | null;
  missing?: string[];
}

export function readBundleState(dir: string): BundleState | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, BUNDLE_FILES.state), 'utf8')) as BundleState;
  } catch {
    return undefined;
  }
}

export function writeBundleState(dir: string, s: BundleState): void {
  writeFileAtomic(join(dir, BUNDLE_FILES.state), `${JSON.stringify(s, null, 2)}\n`, 0o644);
}

function write(dir: string, name: string, text: string, mode: number): void {
  try {
    writeFileAtomic(join(dir, name), text.endsWith('\n') ? text : `${text}\n`, mode);
  } catch (err) {
    throw new UsageError(`cannot write ${join(dir, name)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function writeMaterial(dir: string, m: JoinMaterial): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  write(dir, BUNDLE_FILES.subCaKey, m.subCaKeyPem, 0o600);
  write(dir, BUNDLE_FILES.subCaCsr, m.subCaCsr, 0o644);
  write(dir, BUNDLE_FILES.mqttKey, m.mqttKeyPem, 0o600);
  write(dir, BUNDLE_FILES.mqttCsr, m.mqttCsr, 0o644);
  write(dir, BUNDLE_FILES.wgKey, m.wgPrivate, 0o600);
  write(dir, BUNDLE_FILES.wgPub, m.wgPublic, 0o644);
}

/** Material of an earlier run (a pending legacy request) or undefined. */
export function readMaterial(dir: string): JoinMaterial | undefined {
  const r = (n: string): string => readFileSync(join(dir, n), 'utf8');
  if (!existsSync(join(dir, BUNDLE_FILES.subCaKey))) return undefined;
  return {
    subCaKeyPem: r(BUNDLE_FILES.subCaKey), subCaCsr: r(BUNDLE_FILES.subCaCsr), mqttKeyPem: r(BUNDLE_FILES.mqttKey), mqttCsr: r(BUNDLE_FILES.mqttCsr),
    wgPrivate: r(BUNDLE_FILES.wgKey).trim(), wgPublic: r(BUNDLE_FILES.wgPub).trim(),
  };
}

const env = (pairs: Record<string, string | null | undefined>): string =>
  Object.entries(pairs).filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => `${k}=${v}`).join('\n');

/** Certificates and env files from a verified answer; returns the paths written. */
export function writeAnswer(dir: string, b: JoinBundle, v: VerifiedBundle): Record<string, string> {
  const subCaChain = [b.signed_cert.trim(), ...v.providerChain.map((p) => p.trim())].join('\n');
  write(dir, BUNDLE_FILES.subCaCert, subCaChain, 0o644);
  write(dir, BUNDLE_FILES.providerCa, v.providerChain.map((p) => p.trim()).join('\n'), 0o644);
  const files: Record<string, string> = { subCaCert: join(dir, BUNDLE_FILES.subCaCert), subCaKey: join(dir, BUNDLE_FILES.subCaKey), providerCa: join(dir, BUNDLE_FILES.providerCa) };
  if (b.mqtt_bridge_cert) {
    write(dir, BUNDLE_FILES.mqttCert, b.mqtt_bridge_cert, 0o644);
    files.mqttCert = join(dir, BUNDLE_FILES.mqttCert);
    files.mqttKey = join(dir, BUNDLE_FILES.mqttKey);
  }
  write(dir, BUNDLE_FILES.rabbitEnv, env({
    RABBITMQ_URL: b.rabbitmq_url, RABBITMQ_VHOST: b.rabbitmq_vhost, RABBITMQ_USER: b.rabbitmq_user,
    MQTT_BRIDGE_CERT: b.mqtt_bridge_cert ? join(dir, BUNDLE_FILES.mqttCert) : null, MQTT_BRIDGE_KEY: join(dir, BUNDLE_FILES.mqttKey),
    MQTT_BRIDGE_CA: join(dir, BUNDLE_FILES.providerCa),
  }), 0o600);
  files.rabbitmqEnv = join(dir, BUNDLE_FILES.rabbitEnv);
  write(dir, BUNDLE_FILES.federationEnv, env({
    CDM_IDP_CLIENT_ID: b.cdm_idp_client_id, CDM_IDP_CLIENT_SECRET: b.cdm_idp_client_secret, CDM_DISCOVERY_URL: b.cdm_discovery_url, KC_IDP_ALIAS: PROVIDER_IDP_ALIAS,
  }), 0o600);
  files.keycloakFederationEnv = join(dir, BUNDLE_FILES.federationEnv);
  files.wireguardKey = join(dir, BUNDLE_FILES.wgKey);
  return files;
}

/** The federation secret stored by an earlier join (to register the IdP again on a resumed run). */
export function readFederationEnv(dir: string): Record<string, string> {
  try {
    return Object.fromEntries(readFileSync(join(dir, BUNDLE_FILES.federationEnv), 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  } catch {
    return {};
  }
}
