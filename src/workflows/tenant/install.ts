// Installing the signed Sub-CA into the tenant's step-ca. A local sandbox context: the files go
// into its step-ca dir in step-ca's own layout (certs/intermediate_ca.crt = Sub-CA + provider
// chain, secrets/intermediate_ca_key encrypted with the CA password, the provider root appended
// to certs/root_ca.crt after the tenant's first root so existing pins stay valid), the previous
// files are kept once as *.pre-join, and the running emulator re-reads them through the sandbox
// control API. A remote stack: cdm says which file goes where (it has no access to that volume).
import { createPrivateKey } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NamedContext } from '../../config/context-spec.js';
import { writeFileAtomic } from '../../config/atomic.js';
import { BackendError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { sha256Hex } from '../../pki/fingerprint.js';
import { certificatePems, pemBlocks } from '../../pki/pem.js';
import { resolveSecret } from '../../config/secret-ref.js';

export interface InstallResult {
  mode: 'sandbox' | 'manual';
  outcome: 'installed' | 'unchanged' | 'instructions';
  stepcaDir?: string;
  reloaded?: boolean;
  /** For a remote stack: bundle file → where it goes in the tenant step-ca. */
  instructions?: Array<{ file: string; destination: string; note?: string }>;
}

export function sandboxStepCaDir(ctx: NamedContext): string | undefined {
  if (!ctx.sandbox?.stateDir || !ctx.tenant) return undefined;
  return join(ctx.sandbox.stateDir, 'tenants', ctx.tenant, 'step-ca');
}

export function manualInstructions(files: Record<string, string>): InstallResult['instructions'] {
  return [
    { file: files.subCaCert!, destination: '$(step path)/certs/intermediate_ca.crt', note: 'Sub-CA followed by the provider chain' },
    { file: files.subCaKey!, destination: '$(step path)/secrets/intermediate_ca_key', note: 'encrypt it with the CA password first: step crypto change-pass sub-ca.key' },
    { file: files.providerCa!, destination: '$(step path)/certs/root_ca.crt', note: 'append the provider root CA (from the provider) so the tenant chain ends at it' },
    { file: 'step-ca', destination: 'restart the step-ca container', note: 'step-ca reads its CA files only at start' },
  ];
}

const norm = (pem: string): string => certificatePems(pem).join('');

export async function installSubCa(f: Factory, tenantCtx: NamedContext, files: Record<string, string>, providerRootPem: string | undefined): Promise<InstallResult> {
  const dir = sandboxStepCaDir(tenantCtx);
  if (!dir || !existsSync(join(dir, 'certs', 'intermediate_ca.crt'))) return { mode: 'manual', outcome: 'instructions', instructions: manualInstructions(files) };
  const crtFile = join(dir, 'certs', 'intermediate_ca.crt');
  const keyFile = join(dir, 'secrets', 'intermediate_ca_key');
  const rootFile = join(dir, 'certs', 'root_ca.crt');
  const chain = readFileSync(files.subCaCert!, 'utf8');
  const currentRoots = certificatePems(readFileSync(rootFile, 'utf8'));
  // The provider root first (step-ca's root from now on, and the one `cdm stack up` pins), then
  // the tenant's own first root, which still anchors the listener certificate until a restart.
  const providerRoots = providerRootPem ? certificatePems(providerRootPem) : [];
  const wantedRoots = [...providerRoots, ...currentRoots.filter((r) => !providerRoots.includes(r))];
  if (norm(readFileSync(crtFile, 'utf8')) === norm(chain) && wantedRoots.join('') === currentRoots.join('')) {
    return { mode: 'sandbox', outcome: 'unchanged', stepcaDir: dir, reloaded: false };
  }
  // The sandbox encrypts its CA keys with the stack's provisioner password (the context's step-ca credential).
  const cred = (await f.credentials()).service(tenantCtx.name, 'stepca');
  const password = cred ? await resolveSecret(cred.secret, f.io.env) : undefined;
  const key = createPrivateKey(readFileSync(files.subCaKey!, 'utf8'));
  const keyPem = password
    ? key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }) as string
    : key.export({ type: 'pkcs8', format: 'pem' }) as string;
  for (const file of [crtFile, keyFile, rootFile]) if (!existsSync(`${file}.pre-join`)) copyFileSync(file, `${file}.pre-join`);
  writeFileAtomic(keyFile, keyPem, 0o600);
  writeFileAtomic(crtFile, norm(chain), 0o644);
  writeFileAtomic(rootFile, wantedRoots.join(''), 0o644);
  const { controlFor } = await import('../sandbox/simulate.js');
  const control = await controlFor(f, tenantCtx.sandbox!.stateDir);
  const res = await control.call('POST', `/stepca/${encodeURIComponent(tenantCtx.tenant!)}/reload`);
  if (res.status !== 200) {
    throw new BackendError(`the sandbox step-ca of ${tenantCtx.tenant} did not take the Sub-CA: ${(res.body as { error?: string } | undefined)?.error ?? `HTTP ${res.status}`}`, {
      service: 'sandbox', status: res.status, hint: `the files are in ${dir}; the previous ones are kept as *.pre-join; restart the sandbox (cdm stack down && cdm stack up)`,
    });
  }
  // Certificates of the tenant CA now chain to the provider root: move the context's pin there.
  const providerRoot = providerRoots[0];
  if (providerRoot && tenantCtx.stepca) {
    const store = await f.contexts();
    const { name: _name, ...spec } = store.get(tenantCtx.name);
    store.add(tenantCtx.name, { ...spec, stepca: { ...spec.stepca!, fingerprint: sha256Hex(pemBlocks(providerRoot)[0]!.der) } }, { overwrite: true });
  }
  return { mode: 'sandbox', outcome: 'installed', stepcaDir: dir, reloaded: true };
}
