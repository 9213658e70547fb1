// `cdm cert verify`: a certificate file against --roots, or against the context's root (the
// pinned step-ca root, else the self-signed certificates of its CA bundle). Without any root
// there is nothing to verify against: exit 2.
import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { readBytesInput } from '../../core/read-input.js';
import { CERT_LABEL, certificatePems, isPem, toPem } from '../../pki/pem.js';
import { verifyChain, VerificationError, type VerifyResult } from '../../pki/verify.js';
import { StepCaConnection } from './connect.js';

function readRoots(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const pems = certificatePems(text);
  if (pems.length === 0) throw new UsageError(`${file}: no PEM CERTIFICATE found`);
  return pems;
}

async function contextRoots(f: Factory): Promise<string[]> {
  if ((await f.contextName()) === undefined) {
    throw new UsageError('no root to verify against: pass --roots <file>, or select a context that pins its step-ca root');
  }
  const ctx = await f.context();
  if (ctx.stepca?.url) {
    const conn = await StepCaConnection.open(f);
    try {
      return await conn.roots();
    } finally {
      await conn.close();
    }
  }
  const caFile = f.settings.caFile;
  if (caFile === undefined) throw new UsageError(`context "${ctx.name}" has neither a step-ca root nor a CA bundle: pass --roots <file>`);
  return readRoots(caFile);
}

export async function verifyCertificateFile(f: Factory, file: string, rootsFile: string | undefined): Promise<VerifyResult> {
  const bytes = await readBytesInput(file, f.io);
  const certs = isPem(bytes) ? certificatePems(bytes.toString('utf8')) : bytes.length ? [toPem(bytes, CERT_LABEL)] : [];
  if (certs.length === 0) throw new UsageError(`${file}: no certificate found`);
  const roots = rootsFile !== undefined ? readRoots(rootsFile) : await contextRoots(f);
  try {
    return verifyChain(certs, roots, new Date(f.clock()));
  } catch (err) {
    if (err instanceof VerificationError) throw err;
    // A file that parses as PEM but not as X.509 is bad input, not a failed verification.
    throw new UsageError(`${file}: not a valid certificate (${(err as Error).message})`);
  }
}
