// Validation of context specs coming from flags or from an imported document: bad input is
// refused with exit 2 before anything is written.
import { UsageError } from '../core/errors.js';
import { parseDuration, parseName, parseRateLimit, parseUrl } from '../core/parse.js';
import { CONTEXT_KINDS, SERVICE_NAMES, type ContextSpec } from './context-spec.js';
import { OUTPUT_FORMATS } from './settings.js';

const FINGERPRINT = /^[0-9a-f]{64}$/;

export function validateContextSpec(input: unknown, where: string): ContextSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new UsageError(`${where}: expected an object`);
  const o = input as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string' || !(CONTEXT_KINDS as readonly string[]).includes(type)) {
    throw new UsageError(`${where}: type must be one of ${CONTEXT_KINDS.join(', ')}`);
  }
  const spec: ContextSpec = { type: type as ContextSpec['type'] };
  if (o.tenant !== undefined) spec.tenant = parseName(String(o.tenant), `${where}: tenant`);
  if (spec.type === 'tenant' && spec.tenant === undefined) throw new UsageError(`${where}: a tenant context needs a tenant id (--tenant)`);
  if (o.production !== undefined) spec.production = o.production === true;
  if (o.caFile !== undefined) spec.caFile = String(o.caFile);
  if (o.clientCert !== undefined) {
    const cc = o.clientCert as Record<string, unknown>;
    if (typeof cc?.certFile !== 'string' || typeof cc?.keyFile !== 'string') throw new UsageError(`${where}: clientCert needs both certFile and keyFile (--client-cert and --client-key)`);
    spec.clientCert = { certFile: cc.certFile, keyFile: cc.keyFile };
  }
  for (const service of SERVICE_NAMES) {
    const raw = o[service];
    if (raw === undefined) continue;
    if (typeof raw !== 'object' || raw === null) throw new UsageError(`${where}: ${service} must be an object with a url`);
    const svc = raw as Record<string, unknown>;
    const url = parseUrl(String(svc.url ?? ''), `${where}: ${service} url`);
    switch (service) {
      case 'keycloak': {
        const realm = svc.realm ?? (spec.type === 'provider' ? 'cdm' : spec.tenant);
        spec.keycloak = { url, realm: parseName(String(realm), `${where}: keycloak realm`) };
        if (svc.clientId !== undefined) spec.keycloak.clientId = parseName(String(svc.clientId), `${where}: keycloak clientId`);
        break;
      }
      case 'stepca': {
        spec.stepca = { url };
        if (svc.fingerprint !== undefined) {
          const fp = String(svc.fingerprint).toLowerCase().replace(/:/g, '');
          if (!FINGERPRINT.test(fp)) throw new UsageError(`${where}: stepca fingerprint must be a SHA-256 hex digest (64 hex digits)`);
          spec.stepca.fingerprint = fp;
        }
        if (svc.provisioner !== undefined) spec.stepca.provisioner = String(svc.provisioner);
        break;
      }
      default:
        spec[service] = { url };
    }
  }
  if (o.ssh !== undefined) {
    const jump = (o.ssh as Record<string, unknown>)?.jump;
    if (jump !== undefined) {
      if (!/^[A-Za-z0-9._-]+@[A-Za-z0-9.:[\]_-]+$/.test(String(jump))) throw new UsageError(`${where}: ssh jump must look like user@host`);
      spec.ssh = { jump: String(jump) };
    }
  }
  if (o.defaults !== undefined) {
    const d = o.defaults as Record<string, unknown>;
    spec.defaults = {};
    if (d.output !== undefined) {
      if (!(OUTPUT_FORMATS as readonly string[]).includes(String(d.output))) throw new UsageError(`${where}: defaults.output must be one of ${OUTPUT_FORMATS.join(', ')}`);
      spec.defaults.output = String(d.output);
    }
    if (d.timeout !== undefined) {
      parseDuration(String(d.timeout), `${where}: defaults.timeout`);
      spec.defaults.timeout = String(d.timeout);
    }
    if (d.rateLimit !== undefined) spec.defaults.rateLimit = parseRateLimit(String(d.rateLimit), `${where}: defaults.rateLimit`);
  }
  if (o.sandbox !== undefined) spec.sandbox = { stateDir: String((o.sandbox as Record<string, unknown>).stateDir ?? '') };
  return spec;
}
