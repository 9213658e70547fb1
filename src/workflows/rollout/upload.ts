// `cdm rollout upload`: bundle → software module + artifact → distribution set, idempotent on
// name+version. A second run with the same bundle (same sha256) reuses everything and writes
// nothing; a different bundle under an existing name+version is a conflict (exit 5), because a
// released version must never silently change under the devices that already installed it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { BackendError, ConflictError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { multipartFile } from '../../services/hawkbit/multipart.js';
import type { Artifact, DistributionSet, SoftwareModule } from '../../services/hawkbit/types.js';
import { connectHawkbit, type Hawkbit } from './connect.js';

export type BundleType = 'os' | 'application';

/** hawkBit's tenant-default DS type for each module type (`os` → "OS only", `application` → "App(s) only"). */
export const DS_TYPE: Record<BundleType, string> = { os: 'os', application: 'app' };

/** Show a live bar only for files where it helps. */
const BAR_MIN_BYTES = 1024 * 1024;

export interface UploadInput {
  bundle: string;
  name: string;
  version: string;
  type: BundleType;
}

export interface UploadResult {
  name: string;
  version: string;
  type: BundleType;
  file: string;
  size: number;
  sha256: string;
  softwareModuleId: number;
  artifactId: number;
  distributionSetId: number;
  /** What this run did to each object. */
  softwareModule: 'created' | 'reused';
  artifact: 'uploaded' | 'reused';
  distributionSet: 'created' | 'reused';
}

/** The bundle must be a readable, non-empty regular file (exit 2 before any request otherwise). */
export async function checkBundle(path: string): Promise<{ size: number }> {
  let s;
  try {
    s = await stat(path);
  } catch (err) {
    throw new UsageError(`bundle ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (!s.isFile()) throw new UsageError(`bundle ${path} is not a regular file`);
  if (s.size === 0) throw new UsageError(`bundle ${path} is empty (hawkBit refuses empty artifacts)`);
  return { size: s.size };
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function conflict(what: string, detail: string): ConflictError {
  return new ConflictError(`${what} already exists with a different bundle: ${detail}`, {
    service: 'hawkbit',
    hint: 'a released version must not change: upload it under a new --version',
  });
}

export async function uploadBundle(f: Factory, input: UploadInput): Promise<UploadResult> {
  const { size } = await checkBundle(input.bundle);
  const sha256 = await sha256File(input.bundle);
  const filename = basename(input.bundle);
  const hb = await connectHawkbit(f);
  const id = `${input.name}:${input.version}`;

  const existingDs = await hb.software.findDs(input.name, input.version);
  let module = await hb.software.findModule(input.name, input.version, input.type);
  if (existingDs) {
    // The DS decides: its modules' artifacts must be exactly this bundle.
    const mine = await dsArtifacts(hb, existingDs);
    if (!mine.some((a) => a.artifact.hashes.sha256?.toLowerCase() === sha256)) {
      throw conflict(`distribution set ${id}`, mine.length === 0 ? 'it has no artifact' : `sha256 ${mine.map((a) => a.artifact.hashes.sha256).join(', ')} ≠ ${sha256}`);
    }
    const hit = mine.find((a) => a.artifact.hashes.sha256?.toLowerCase() === sha256)!;
    return { ...base(), softwareModuleId: hit.module.id, artifactId: hit.artifact.id, distributionSetId: existingDs.id, softwareModule: 'reused', artifact: 'reused', distributionSet: 'reused' };
  }

  let moduleOutcome: UploadResult['softwareModule'] = 'reused';
  let artifact: Artifact | undefined;
  let artifactOutcome: UploadResult['artifact'] = 'reused';
  if (module) {
    const artifacts = await hb.software.artifacts(module.id);
    artifact = artifacts.find((a) => a.hashes.sha256?.toLowerCase() === sha256);
    if (!artifact && artifacts.length > 0) throw conflict(`software module ${id}`, `it holds ${artifacts.map((a) => a.providedFilename).join(', ')} with another sha256`);
  } else {
    module = await hb.software.createModule({ name: input.name, version: input.version, type: input.type });
    moduleOutcome = 'created';
  }
  if (!artifact) {
    artifact = await upload(f, hb, module, input.bundle, filename, size, sha256);
    artifactOutcome = 'uploaded';
  }
  const ds = await hb.software.createDs({ name: input.name, version: input.version, type: DS_TYPE[input.type], modules: [{ id: module.id }] });
  return { ...base(), softwareModuleId: module.id, artifactId: artifact.id, distributionSetId: ds.id, softwareModule: moduleOutcome, artifact: artifactOutcome, distributionSet: 'created' };

  function base(): Pick<UploadResult, 'name' | 'version' | 'type' | 'file' | 'size' | 'sha256'> {
    return { name: input.name, version: input.version, type: input.type, file: filename, size, sha256 };
  }
}

async function dsArtifacts(hb: Hawkbit, ds: DistributionSet): Promise<Array<{ module: SoftwareModule; artifact: Artifact }>> {
  const out: Array<{ module: SoftwareModule; artifact: Artifact }> = [];
  for (const m of ds.modules ?? []) for (const a of await hb.software.artifacts(m.id)) out.push({ module: m, artifact: a });
  return out;
}

async function upload(f: Factory, hb: Hawkbit, module: SoftwareModule, path: string, filename: string, size: number, sha256: string): Promise<Artifact> {
  const progress = f.progress();
  const bar = progress.live && size >= BAR_MIN_BYTES ? progress.bar(`upload ${filename}`, size) : undefined;
  const body = multipartFile(path, filename, bar ? (n) => bar.tick(n) : undefined);
  const artifact = await hb.software.uploadArtifact(module.id, { filename, sha256, contentType: body.contentType, body: body.body });
  bar?.done(`uploaded ${filename} (${size} bytes)`);
  // hawkBit hashes what it stored; a different answer means the transfer or the store went wrong.
  if (artifact.hashes.sha256 !== undefined && artifact.hashes.sha256.toLowerCase() !== sha256) {
    throw new BackendError(`hawkBit stored ${filename} with sha256 ${artifact.hashes.sha256}, but the local file has ${sha256}`, { service: 'hawkbit' });
  }
  return artifact;
}
