// First start of an emulated CA: key material and ca.json as `step ca init` plus the CDM
// provisioner scripts would leave them; later starts read them back from the state dir.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../kit/atomic-file.js';
import { DEFAULT_TLS, encryptJwk, newJwkKey, type CaJson, type Claims, type JwkProvisioner } from './config.js';
import { caPaths, generateMaterial, hasMaterial, loadMaterial, writeMaterial, type CaMaterial } from './material.js';
import type { StepCaVersion } from './state.js';
import { TEMPLATE_FILES, TEMPLATE_TEXT } from './templates.js';

export interface SetupInput {
  dir: string | undefined;
  kind: 'provider' | 'tenant';
  tenantId?: string;
  publicUrl: string;
  password: string;
  version: StepCaVersion;
  now: number;
}

export function pkiName(kind: 'provider' | 'tenant', tenantId?: string): string {
  if (kind === 'provider') return 'CDM Root CA';
  return tenantId ? `Tenant Sub-CA ${tenantId}` : 'Tenant Sub-CA';
}

export function setupMaterial(i: SetupInput): CaMaterial {
  if (i.dir && hasMaterial(i.dir)) return loadMaterial(i.dir, i.password);
  // The provider intermediate signs tenant Sub-CAs, so it needs path length 1 (step's default is 0).
  const m = generateMaterial(pkiName(i.kind, i.tenantId), i.kind === 'provider' ? 1 : 0, i.now);
  if (i.dir) writeMaterial(i.dir, m, i.password);
  return m;
}

/** Returns the configuration and, for a new CA, the work still to do (JWE encryption is async). */
export function setupConfig(i: SetupInput): { config: CaJson; finish: Promise<void> } {
  const file = i.dir ? join(i.dir, 'config', 'ca.json') : undefined;
  const url = new URL(i.publicUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const address = `${host.includes(':') ? `[${host}]` : host}:${url.port || '443'}`;
  if (file && existsSync(file)) {
    const config = JSON.parse(readFileSync(file, 'utf8')) as CaJson;
    // The sandbox may be started on another port: keep address and dnsNames in step with it.
    config.address = address;
    if (!config.dnsNames.includes(host)) config.dnsNames.push(host);
    writeFileAtomic(file, JSON.stringify(config, null, 2));
    return { config, finish: Promise.resolve() };
  }
  const tplPath = (f: string): string => (i.dir ? join(i.dir, 'templates', f) : `templates/${f}`);
  const pending: Array<{ p: JwkProvisioner; priv: Record<string, string> }> = [];
  const jwk = (name: string, template: string, claims?: Claims): JwkProvisioner => {
    const { pub, priv } = newJwkKey();
    const p: JwkProvisioner = { type: 'JWK', name, key: pub, ...(claims ? { claims } : {}), options: { x509: { templateFile: tplPath(template) } } };
    pending.push({ p, priv });
    return p;
  };
  // cdm-platform.md §4.7: provider `iot-bridge` (service-leaf, --x509-max-dur 8760h) and
  // `tenant-sub-ca-signer` (tenant-sub-ca); tenant `iot-bridge` (device-leaf).
  const provisioners = i.kind === 'provider'
    ? [jwk('iot-bridge', TEMPLATE_FILES.service, { maxTLSCertDuration: '8760h' }), jwk('tenant-sub-ca-signer', TEMPLATE_FILES['sub-ca'])]
    : [jwk('iot-bridge', TEMPLATE_FILES.device)];
  const paths = i.dir ? caPaths(i.dir) : { root: 'certs/root_ca.crt', crt: 'certs/intermediate_ca.crt', key: 'secrets/intermediate_ca_key' };
  const config: CaJson = {
    root: paths.root, federatedRoots: null, crt: paths.crt, key: paths.key, address, insecureAddress: '',
    dnsNames: [...new Set(['127.0.0.1', 'localhost', host])],
    logger: { format: 'text' },
    // Not badger: the emulator keeps step-ca's tables as one JSON document.
    db: { type: 'sandbox-json', dataSource: i.dir ? join(i.dir, 'db', 'stepca-db.json') : '' },
    ...(i.version === '0.19' ? {} : { crl: { enabled: true, generateOnRevoke: true } }),
    authority: { provisioners },
    tls: DEFAULT_TLS,
  };
  const finish = (async () => {
    for (const { p, priv } of pending) p.encryptedKey = await encryptJwk(priv, i.password);
    if (i.dir && file) {
      for (const [name, text] of Object.entries(TEMPLATE_TEXT)) writeFileAtomic(join(i.dir, 'templates', name), text, 0o644);
      writeFileAtomic(file, JSON.stringify(config, null, 2));
    }
  })();
  return { config, finish };
}
