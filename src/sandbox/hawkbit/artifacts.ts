// Management API: artifacts of a software module. Upload is multipart/form-data with the part
// `file` and optional `filename`, `md5sum`, `sha1sum`, `sha256sum` (query or form fields); the
// emulator computes the hashes and refuses a mismatch with the checksum error of that algorithm.
// Binaries are stored by SHA-1 (blobs.ts); downloads support single `Range` requests.
import { createHash } from 'node:crypto';
import type { RequestContext, Router } from '../kit/router.js';
import { callerOf, type Hb } from './context.js';
import { alreadyExists, checksumMismatch, HbError, locked, multipartFailed, notFound } from './errors.js';
import { noContent, pathId } from './http.js';
import { getModule } from './modules.js';
import { parseMultipart } from './multipart.js';
import { audit, lookup, nextId, setEntry, touch, type ArtifactRec, type HbState } from './state.js';
import { artifactView } from './views.js';

export function registerArtifacts(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;
  const artifactOf = (smId: number, artifactId: number): ArtifactRec => {
    const m = getModule(state(), smId);
    const a = lookup(state().artifacts, artifactId);
    if (!a || !m.artifacts.includes(a.id)) throw notFound('Artifact', artifactId);
    return a;
  };

  router.get('/rest/v1/softwaremodules/:smId/artifacts', (ctx) => {
    const m = getModule(state(), pathId(ctx, 'smId'));
    const list = m.artifacts.map((id) => lookup(state().artifacts, id)).filter((a): a is ArtifactRec => a !== undefined);
    ctx.send(200, list.map((a) => artifactView(hb, a)));
  });

  router.post('/rest/v1/softwaremodules/:smId/artifacts', async (ctx) => {
    const m = getModule(state(), pathId(ctx, 'smId'));
    const parts = parseMultipart(ctx.header('content-type'), await ctx.body());
    const field = (name: string): string | undefined => {
      const q = ctx.query.get(name);
      if (q !== null) return q;
      const p = parts.find((x) => x.name === name && x.filename === undefined);
      return p?.data.toString('utf8');
    };
    const file = parts.find((p) => p.name === 'file');
    if (!file) throw multipartFailed("Required part 'file' is not present.");
    if (file.data.length === 0) throw multipartFailed('File is empty');
    const filename = field('filename') ?? file.filename;
    if (!filename) throw multipartFailed('No filename given');
    if (m.locked) throw locked(`SoftwareModule ${m.id} is locked`);
    const hashes = {
      md5: createHash('md5').update(file.data).digest('hex'),
      sha1: createHash('sha1').update(file.data).digest('hex'),
      sha256: createHash('sha256').update(file.data).digest('hex'),
    };
    for (const alg of ['md5', 'sha1', 'sha256'] as const) {
      const given = field(`${alg}sum`);
      if (given !== undefined && given.trim().toLowerCase() !== hashes[alg]) throw checksumMismatch(alg);
    }
    if (m.artifacts.some((id) => lookup(state().artifacts, id)?.filename === filename)) {
      throw alreadyExists(`Artifact with filename ${filename} already exists for software module ${m.id}`);
    }
    hb.blobs.put(hashes.sha1, file.data); // the binary is durable before the state points at it
    const now = hb.now();
    const user = callerOf(ctx.req);
    const created = hb.store.update((s) => {
      const a: ArtifactRec = { id: nextId(s, 'artifact'), moduleId: m.id, filename, size: file.data.length, ...hashes, ...audit(now, user) };
      setEntry(s.artifacts, a.id, a);
      m.artifacts.push(a.id);
      touch(m, now, user);
      return a;
    });
    ctx.send(201, artifactView(hb, created));
  });

  router.get('/rest/v1/softwaremodules/:smId/artifacts/:artifactId', (ctx) => {
    ctx.send(200, artifactView(hb, artifactOf(pathId(ctx, 'smId'), pathId(ctx, 'artifactId'))));
  });

  router.delete('/rest/v1/softwaremodules/:smId/artifacts/:artifactId', (ctx) => {
    const m = getModule(state(), pathId(ctx, 'smId'));
    const a = artifactOf(m.id, pathId(ctx, 'artifactId'));
    if (m.locked) throw locked(`SoftwareModule ${m.id} is locked`);
    hb.store.update((s) => {
      delete s.artifacts[String(a.id)];
      m.artifacts = m.artifacts.filter((id) => id !== a.id);
      touch(m, hb.now(), callerOf(ctx.req));
    });
    if (!Object.values(state().artifacts).some((o) => o.sha1 === a.sha1)) hb.blobs.delete(a.sha1);
    noContent(ctx);
  });

  router.get('/rest/v1/softwaremodules/:smId/artifacts/:artifactId/download', (ctx) => {
    sendArtifact(ctx, hb, artifactOf(pathId(ctx, 'smId'), pathId(ctx, 'artifactId')));
  });
}

/** Streams an artifact: ETag = SHA-1, `Range: bytes=a-b` → 206, unsatisfiable → 416. */
export function sendArtifact(ctx: RequestContext, hb: Hb, a: ArtifactRec): void {
  const data = hb.blobs.get(a.sha1);
  // hawkBit: binary missing from the artifact repository → 410 artifact.binaryDeleted.
  if (!data) throw new HbError(410, 'org.eclipse.hawkbit.repository.exception.ArtifactBinaryNoLongerExistsException', 'hawkbit.server.error.artifact.binaryDeleted', 'Artifact binary no longer exists');
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream', etag: a.sha1, 'accept-ranges': 'bytes',
    'content-disposition': `attachment;filename=${encodeURIComponent(a.filename)}`,
    'last-modified': new Date(a.lastModifiedAt).toUTCString(),
  };
  const range = ctx.header('range');
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (range && m && (m[1] !== '' || m[2] !== '')) {
    let start = m[1] === '' ? data.length - Number(m[2]) : Number(m[1]);
    let end = m[1] === '' || m[2] === '' ? data.length - 1 : Number(m[2]);
    if (start < 0) start = 0;
    if (end >= data.length) end = data.length - 1;
    if (start > end || start >= data.length) return ctx.send(416, undefined, { 'content-range': `bytes */${data.length}` });
    return ctx.send(206, data.subarray(start, end + 1), { ...headers, 'content-range': `bytes ${start}-${end}/${data.length}` });
  }
  ctx.send(200, data, headers);
}
