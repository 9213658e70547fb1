// `cdm cert root`: the CA's root, trusted only through its fingerprint (given, or pinned in the
// context). Like `step ca bootstrap`, a fingerprint given to a context that pins none is
// written into it, together with the root as the context's CA bundle when it has none.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../config/atomic.js';
import type { NamedContext } from '../../config/context-spec.js';
import { ConflictError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { certificateInfo } from '../../pki/certificate.js';
import { pemBlocks } from '../../pki/pem.js';
import { StepCaConnection, stepcaEndpoint } from './connect.js';

export interface RootCert {
  subject: string;
  fingerprintSha256: string;
  notAfter: string;
  pem: string;
}

export interface RootResult {
  roots: RootCert[];
  /** How the root was trusted: its fingerprint checked, or only the TLS connection. */
  verifiedBy: 'fingerprint' | 'tls';
  pinned: { context: string; fingerprint: string; caFile: string | null } | null;
}

export type PinAction = { pin: false } | { pin: true; writeCaFile: string | null };

/** Whether `--fingerprint` would be written into the context (and where the root would go). */
export function pinAction(f: Factory, ctx: NamedContext, given: string | undefined): PinAction {
  const pinned = stepcaEndpoint(ctx).fingerprint;
  if (given === undefined) return { pin: false };
  if (pinned !== undefined && pinned !== given) {
    throw new ConflictError(`context "${ctx.name}" pins the step-ca root ${pinned}, not the ${given} given; refusing to replace the pin`, {
      hint: `one of the two is wrong: \`cdm cert root --context ${ctx.name}\` fetches the pinned root; re-pin only a fingerprint you checked out of band: cdm context add ${ctx.name} --overwrite … --stepca-fingerprint <sha256>`,
    });
  }
  if (pinned === given) return { pin: false };
  return { pin: true, writeCaFile: ctx.caFile ? null : join(f.paths.configDir, 'stepca-roots', `${ctx.name}.crt`) };
}

function rootCert(pem: string): RootCert {
  const info = certificateInfo(pemBlocks(pem)[0]!.der);
  return { subject: info.subject, fingerprintSha256: info.fingerprintSha256, notAfter: info.notAfter, pem: info.pem };
}

export async function fetchRoot(f: Factory, given: string | undefined): Promise<RootResult> {
  const conn = await StepCaConnection.open(f);
  try {
    const action = pinAction(f, conn.context, given);
    const fp = given ?? conn.endpoint.fingerprint;
    if (fp === undefined) {
      // Nothing pinned: the roots are only as trustworthy as the TLS connection they came over.
      const roots = await (await conn.client()).roots();
      return { roots: roots.map(rootCert), verifiedBy: 'tls', pinned: null };
    }
    const root = rootCert(await conn.bootstrap(fp));
    let pinned: RootResult['pinned'] = null;
    if (action.pin) {
      const store = await f.contexts();
      const { name: _name, ...spec } = store.get(conn.context.name);
      if (action.writeCaFile) {
        mkdirSync(join(action.writeCaFile, '..'), { recursive: true, mode: 0o700 });
        writeFileAtomic(action.writeCaFile, root.pem, 0o644);
        spec.caFile = action.writeCaFile;
      }
      spec.stepca = { ...spec.stepca!, fingerprint: fp };
      store.add(conn.context.name, spec, { overwrite: true });
      pinned = { context: conn.context.name, fingerprint: fp, caFile: action.writeCaFile };
    }
    return { roots: [root], verifiedBy: 'fingerprint', pinned };
  } finally {
    await conn.close();
  }
}
