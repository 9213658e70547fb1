// The tenant's JOIN material and the checks on the provider's answer, with a small PKI built
// directly with @peculiar/x509 (not with cdm's code): provider root → intermediate → Sub-CA/MQTT.
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../../src/pki/x509-lib.js';
import { readBundleState, readFederationEnv, readMaterial, writeAnswer, writeBundleState, writeMaterial } from '../../../src/workflows/tenant/bundle.js';
import { generateWgKeyPair, wgPublicKeyOf } from '../../../src/pki/wireguard-keys.js';
import { makeJoinMaterial, mqttBridgeCommonName, subCaCommonName, verifyBundle, type JoinMaterial } from '../../../src/workflows/tenant/material.js';
import { checkTenantId } from '../../../src/services/bridge/tenants.js';
import type { JoinBundle } from '../../../src/services/bridge/join.js';
import { tempDir } from '../../helpers/temp.js';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
type Ca = { cert: x509.X509Certificate; keys: CryptoKeyPair };

const newKeys = async (): Promise<CryptoKeyPair> => (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
const publicOf = async (pkcs8Pem: string): Promise<CryptoKey> =>
  webcrypto.subtle.importKey('spki', createPublicKey(createPrivateKey(pkcs8Pem)).export({ type: 'spki', format: 'der' }), ALG, true, ['verify']);

async function issue(subject: string, publicKey: CryptoKey, signer: Ca | undefined, selfKeys: CryptoKeyPair | undefined, ca: boolean, pathLength?: number): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: '0a' + Math.floor(Math.random() * 1e8).toString(16).padStart(8, '0'),
    subject, issuer: signer ? signer.cert.subject : subject,
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: ALG, publicKey, signingKey: (signer?.keys ?? selfKeys!).privateKey,
    extensions: ca
      ? [new x509.BasicConstraintsExtension(true, pathLength, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)]
      : [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
}

let m: JoinMaterial;
let root: Ca;
let inter: Ca;
let good: JoinBundle;
const pem = (c: x509.X509Certificate): string => `${c.toString('pem')}\n`;

beforeAll(async () => {
  m = makeJoinMaterial('acme');
  const rk = await newKeys();
  root = { cert: await issue('CN=Provider Root CA', rk.publicKey, undefined, rk, true, 2), keys: rk };
  const ik = await newKeys();
  inter = { cert: await issue('CN=Provider Intermediate CA', ik.publicKey, root, undefined, true, 1), keys: ik };
  const sub = await issue(`CN=${subCaCommonName('acme')}`, await publicOf(m.subCaKeyPem), inter, undefined, true, 0);
  const mqtt = await issue(`CN=${mqttBridgeCommonName('acme')}`, await publicOf(m.mqttKeyPem), inter, undefined, false);
  good = {
    tenant_id: 'acme', status: 'joined', signed_cert: pem(sub), root_ca_cert: pem(inter.cert), rabbitmq_url: 'http://rabbitmq:15672',
    rabbitmq_vhost: 'acme', rabbitmq_user: 'acme-mqtt-bridge', mqtt_bridge_cert: pem(mqtt), cdm_idp_client_id: 'cdm-federation-acme',
    cdm_idp_client_secret: 's3cret', cdm_discovery_url: 'http://kc/realms/cdm/.well-known/openid-configuration',
  };
});

describe('join material', () => {
  it('makes CSRs with the expected names and a WireGuard pair whose halves belong together', async () => {
    expect(m.subCaCsr).toContain('BEGIN CERTIFICATE REQUEST');
    const csr = new x509.Pkcs10CertificateRequest(m.mqttCsr);
    expect(csr.subject).toBe('CN=acme-mqtt-bridge');
    expect(Buffer.from(m.wgPublic, 'base64')).toHaveLength(32);
    expect(wgPublicKeyOf(Buffer.from(m.wgPrivate, 'base64')).toString('base64')).toBe(m.wgPublic);
    const other = generateWgKeyPair();
    expect(other.privateKey).not.toBe(m.wgPrivate);
  });

  it('tenant ids follow upstream\'s rule; realm names are reserved', () => {
    expect(checkTenantId('acme-2')).toBe('acme-2');
    for (const bad of ['Acme', 'acme_1', '-acme', 'acme-', '', 'cdm', 'master', 'a'.repeat(64)]) expect(() => checkTenantId(bad)).toThrow();
  });
});

describe('verifyBundle', () => {
  it('accepts the answer: Sub-CA chain up to the provider root, MQTT cert, nothing missing', () => {
    const v = verifyBundle(good, m, 'acme', pem(root.cert), new Date());
    expect(v.missing).toEqual([]);
    expect(v.subCa.subject).toBe('CN=acme');
    expect(v.subCa.chain.root.subject).toBe('CN=Provider Root CA');
    expect(v.providerChain).toHaveLength(2);
    expect(v.mqtt?.subject).toBe('CN=acme-mqtt-bridge');
  });

  it('without the provider root, anchors on the returned issuing CA', () => {
    expect(verifyBundle(good, m, 'acme', undefined, new Date()).subCa.chain.root.subject).toBe('CN=Provider Intermediate CA');
  });

  it('names what the provider could not deliver', () => {
    const v = verifyBundle({ ...good, mqtt_bridge_cert: null, cdm_idp_client_id: null, cdm_idp_client_secret: null }, m, 'acme', undefined, new Date());
    expect(v.missing).toEqual(['mqtt_bridge_cert', 'keycloak_federation']);
  });

  it('refuses a certificate for another key, another tenant, a non-CA, a foreign chain, an empty answer', async () => {
    const stranger = makeJoinMaterial('acme');
    expect(() => verifyBundle(good, stranger, 'acme', undefined, new Date())).toThrow(/does not carry our Sub-CA key/);
    expect(() => verifyBundle(good, m, 'beta', undefined, new Date())).toThrow(/not "beta"/);
    const leafForUs = await issue('CN=acme', await publicOf(m.subCaKeyPem), inter, undefined, false);
    expect(() => verifyBundle({ ...good, signed_cert: pem(leafForUs) }, m, 'acme', undefined, new Date())).toThrow(/not a CA/);
    const fk = await newKeys();
    const foreignRoot = await issue('CN=Foreign Root', fk.publicKey, undefined, fk, true, 2);
    expect(() => verifyBundle(good, m, 'acme', pem(foreignRoot), new Date())).toThrow(/chain/);
    expect(() => verifyBundle({ ...good, signed_cert: '' }, m, 'acme', undefined, new Date())).toThrow(/no Sub-CA certificate/);
    const swapped = { ...good, mqtt_bridge_cert: good.signed_cert };
    expect(() => verifyBundle(swapped, m, 'acme', undefined, new Date())).toThrow(/MQTT-bridge key/);
  });
});

describe('bundle files', () => {
  it('keys 0600 before sending; answer files, env files 0600, state round-trips', () => {
    const dir = join(tempDir('cdm-bundle-'), 'out');
    writeMaterial(dir, m);
    for (const f of ['sub-ca.key', 'mqtt-bridge.key', 'wireguard.key']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    const back = readMaterial(dir)!;
    for (const k of Object.keys(m) as Array<keyof JoinMaterial>) expect(back[k].trim()).toBe(m[k].trim());
    const v = verifyBundle(good, m, 'acme', pem(root.cert), new Date());
    const files = writeAnswer(dir, good, v);
    expect(readFileSync(files.subCaCert!, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    expect(statSync(files.rabbitmqEnv!).mode & 0o777).toBe(0o600);
    expect(statSync(files.keycloakFederationEnv!).mode & 0o777).toBe(0o600);
    expect(readFederationEnv(dir)).toEqual({ CDM_IDP_CLIENT_ID: 'cdm-federation-acme', CDM_IDP_CLIENT_SECRET: 's3cret', CDM_DISCOVERY_URL: good.cdm_discovery_url, KC_IDP_ALIAS: 'cdm-provider' });
    expect(readFileSync(files.rabbitmqEnv!, 'utf8')).toContain('RABBITMQ_VHOST=acme');
    writeBundleState(dir, { apiVersion: 'cdm/v1', kind: 'TenantJoinBundle', tenantId: 'acme', providerUrl: 'http://p', method: 'key', status: 'joined', createdAt: 'now' });
    expect(readBundleState(dir)?.status).toBe('joined');
    expect(readFileSync(join(dir, 'bundle.json'), 'utf8')).not.toContain('s3cret');
  });
});
