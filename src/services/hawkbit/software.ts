// Software modules, their artifacts and distribution sets. POST bodies are JSON arrays (hawkBit
// answers 201 with an array); the upstream docs send single objects, which hawkBit refuses
// (cdm-platform §5.4). Lookups by name+version use FIQL on the enum keys hawkBit's parser knows.
import { BackendError } from '../../core/errors.js';
import type { HawkbitClient } from './client.js';
import { SERVICE } from './errors.js';
import type { Artifact, DistributionSet, SoftwareModule } from './types.js';

/**
 * Quotes a FIQL value: hawkBit's RSQL parser takes double-quoted strings with `\"` escapes. `==`
 * still treats `*` as a wildcard and may ignore case (`hawkbit.ql.ignore-case`, on by default), so
 * the lookups by name keep only exact matches of what comes back.
 */
export function fiqlValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class SoftwareApi {
  constructor(private readonly hb: HawkbitClient) {}

  async findModule(name: string, version: string, type: string): Promise<SoftwareModule | undefined> {
    const page = await this.hb.page<SoftwareModule>('/softwaremodules', `find software module ${name}:${version}`, {
      q: `name==${fiqlValue(name)};version==${fiqlValue(version)};type==${fiqlValue(type)}`, limit: 50,
    });
    return page.content.find((m) => m.name === name && m.version === version);
  }

  async createModule(body: { name: string; version: string; type: string; description?: string; vendor?: string }): Promise<SoftwareModule> {
    const res = await this.hb.call('POST', '/softwaremodules', { json: [body] });
    return first(this.hb.expect<SoftwareModule[]>(res, [201, 200], `create software module ${body.name}:${body.version}`), 'software module');
  }

  async artifacts(smId: number): Promise<Artifact[]> {
    return this.hb.getJson<Artifact[]>(`/softwaremodules/${smId}/artifacts`, `artifacts of software module ${smId}`);
  }

  /**
   * Uploads one artifact as multipart/form-data (part `file`), streamed from `body`. The sha256
   * computed locally travels as `sha256sum`, so hawkBit itself refuses a corrupted transfer (400
   * `checksum.sha256.match`); the caller still compares the hashes hawkBit answers with.
   */
  async uploadArtifact(smId: number, upload: { filename: string; sha256: string; contentType: string; body: NodeJS.ReadableStream }): Promise<Artifact> {
    const res = await this.hb.call('POST', `/softwaremodules/${smId}/artifacts`, {
      query: { filename: upload.filename, sha256sum: upload.sha256 },
      headers: { 'content-type': upload.contentType },
      body: upload.body,
      // Large bundles: the server may take long to hash and store the file.
      timeoutMs: 10 * 60_000,
    });
    return this.hb.expect<Artifact>(res, [201, 200], `upload ${upload.filename} to software module ${smId}`);
  }

  async findDs(name: string, version: string): Promise<DistributionSet | undefined> {
    const page = await this.hb.page<DistributionSet>('/distributionsets', `find distribution set ${name}:${version}`, {
      q: `name==${fiqlValue(name)};version==${fiqlValue(version)}`, limit: 50,
    });
    return page.content.find((d) => d.name === name && d.version === version);
  }

  getDs(id: number): Promise<DistributionSet> {
    return this.hb.getJson<DistributionSet>(`/distributionsets/${id}`, `distribution set ${id}`);
  }

  async createDs(body: { name: string; version: string; type: string; modules: Array<{ id: number }>; description?: string }): Promise<DistributionSet> {
    const res = await this.hb.call('POST', '/distributionsets', { json: [body] });
    return first(this.hb.expect<DistributionSet[]>(res, [201, 200], `create distribution set ${body.name}:${body.version}`), 'distribution set');
  }
}

function first<T>(items: T[], what: string): T {
  const item = Array.isArray(items) ? items[0] : undefined;
  if (!item) throw new BackendError(`hawkBit created no ${what} (empty answer)`, { service: SERVICE });
  return item;
}
