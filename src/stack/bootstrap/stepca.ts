// step-ca after the init container: take the root certificate out of the container (the only
// trustworthy source on first contact; nothing pinned exists yet), keep it as the context's CA
// bundle, and check through the CA's own API that the provisioners the platform needs exist.
import { createHash, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { CdmError, NotFoundError } from '../../core/errors.js';
import type { HttpClient } from '../../http/types.js';
import type { Record_ } from './report.js';

export const ROOT_IN_CONTAINER = '/home/step/certs/root_ca.crt';

export function rootFingerprint(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

export function saveRoot(pem: string, file: string): string {
  if (!pem.includes('BEGIN CERTIFICATE')) throw new CdmError(`step-ca: ${ROOT_IN_CONTAINER} in the container is not a certificate`);
  writeFileSync(file, pem, { mode: 0o644 });
  return rootFingerprint(pem);
}

interface ProvisionerList { provisioners: Array<{ name: string; type: string }>; nextCursor?: string }

export async function listProvisioners(http: HttpClient, url: string): Promise<Array<{ name: string; type: string }>> {
  const out: Array<{ name: string; type: string }> = [];
  let cursor = '';
  for (;;) {
    const res = await http.request({ service: 'step-ca', method: 'GET', url: `${url}/provisioners`, query: { limit: 100, ...(cursor ? { cursor } : {}) } });
    if (res.status !== 200) throw new CdmError(`step-ca: GET /provisioners answered ${res.status}: ${res.text().slice(0, 200)}`, { service: 'step-ca', status: res.status });
    const page = res.json<ProvisionerList>();
    out.push(...page.provisioners.map((p) => ({ name: p.name, type: p.type })));
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

export async function checkProvisioners(http: HttpClient, url: string, required: string[], record: Record_): Promise<void> {
  const have = await listProvisioners(http, url);
  for (const name of required) {
    if (!have.some((p) => p.name === name && p.type === 'JWK')) {
      throw new NotFoundError(`step-ca has no JWK provisioner ${name}`, { service: 'step-ca', hint: 'see the init container: cdm stack logs --engine compose --service step-ca-init' });
    }
    record('step-ca', `provisioner ${name}`, 'present');
  }
}
