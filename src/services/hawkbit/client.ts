// Typed client of the hawkBit Management API (`/rest/v1`), Basic auth on every request (the API is
// stateless: no session, no CSRF). Collection GETs page with `offset`/`limit` and answer the
// `{content, total, size}` envelope; `pages()` streams every item across pages so a 10,000-target
// listing never sits in memory. Void operations answer 204 on ≥0.10 and 200 on ≤0.9: both accepted.
// This file holds the core and the target/action calls; software.ts and rollouts.ts build on it.
import { BackendError } from '../../core/errors.js';
import type { HttpClient, HttpMethod, HttpRequest, HttpResponse } from '../../http/types.js';
import { hawkbitError, SERVICE } from './errors.js';
import type { Action, AssignmentResult, DistributionSet, ForceType, PageQuery, Paged, Target } from './types.js';

/** hawkBit clamps `limit` to 500; larger pages are silently cut, so never ask for more. */
export const MAX_PAGE = 500;
const DEFAULT_PAGE = 100;

export interface CallOptions {
  json?: unknown;
  query?: HttpRequest['query'];
  body?: HttpRequest['body'];
  headers?: Record<string, string>;
  idempotent?: boolean;
  timeoutMs?: number;
}

export class HawkbitClient {
  readonly baseUrl: string;
  private readonly auth: string;

  constructor(readonly http: HttpClient, url: string, username: string, password: string) {
    this.baseUrl = `${url.replace(/\/+$/, '')}/rest/v1`;
    this.auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  /** One request; the answer is returned whatever its status (callers decide with `expect`). */
  call(method: HttpMethod, path: string, opts: CallOptions = {}): Promise<HttpResponse> {
    return this.http.request({
      service: SERVICE,
      method,
      url: `${this.baseUrl}${path}`,
      headers: { authorization: this.auth, accept: 'application/json', ...opts.headers },
      ...(opts.json !== undefined ? { json: opts.json } : {}),
      ...(opts.query ? { query: opts.query } : {}),
      ...(opts.body !== undefined ? { body: opts.body } : {}),
      ...(opts.idempotent !== undefined ? { idempotent: opts.idempotent } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    });
  }

  /** The parsed body when the status is one of `ok`, else the typed error. */
  expect<T>(res: HttpResponse, ok: readonly number[], what: string): T {
    if (!ok.includes(res.status)) throw hawkbitError(res, what);
    return res.json<T>();
  }

  /** A void operation (start, pause, delete, …): 204 (≥0.10) or 200 with an empty body (≤0.9). */
  async voidCall(method: HttpMethod, path: string, what: string, opts: CallOptions = {}): Promise<void> {
    const res = await this.call(method, path, opts);
    if (res.status !== 204 && res.status !== 200) throw hawkbitError(res, what);
  }

  async getJson<T>(path: string, what: string, query?: HttpRequest['query']): Promise<T> {
    return this.expect<T>(await this.call('GET', path, query ? { query } : {}), [200], what);
  }

  /** A GET that answers 204 when there is nothing (assignedDS, installedDS, attributes). */
  async getOptional<T>(path: string, what: string): Promise<T | undefined> {
    const res = await this.call('GET', path);
    if (res.status === 204) return undefined;
    return this.expect<T>(res, [200], what);
  }

  /** One page of a collection. */
  async page<T>(path: string, what: string, query: PageQuery = {}): Promise<Paged<T>> {
    const body = this.expect<Partial<Paged<T>>>(
      await this.call('GET', path, { query: { offset: query.offset, limit: query.limit, sort: query.sort, q: query.q, representation: query.representation } }),
      [200],
      what,
    );
    if (!Array.isArray(body.content)) throw new BackendError(`${what}: hawkBit answered without a "content" list`, { service: SERVICE });
    const content = body.content;
    return { content, total: typeof body.total === 'number' ? body.total : content.length, size: typeof body.size === 'number' ? body.size : content.length };
  }

  /**
   * Every item of a collection, page by page (offset advances by what actually arrived, so a
   * server clamping `limit` lower than asked still gets walked completely).
   */
  async *pages<T>(path: string, what: string, query: Omit<PageQuery, 'offset'> = {}): AsyncGenerator<T> {
    const limit = Math.min(query.limit ?? DEFAULT_PAGE, MAX_PAGE);
    let offset = 0;
    for (;;) {
      const page = await this.page<T>(path, what, { ...query, offset, limit });
      yield* page.content;
      offset += page.content.length;
      if (page.content.length === 0 || offset >= page.total) return;
    }
  }

  /** How many items match, without fetching them (`limit=1`, read `total`). */
  async count(path: string, what: string, q?: string): Promise<number> {
    return (await this.page(path, what, { ...(q !== undefined ? { q } : {}), limit: 1 })).total;
  }

  /** `GET /userinfo`: the credentials work. */
  userinfo(): Promise<{ tenant?: string; username?: string }> {
    return this.getJson('/userinfo', 'hawkBit login');
  }

  // ---- targets ----------------------------------------------------------------------------------

  getTarget(controllerId: string): Promise<Target> {
    return this.getJson<Target>(`/targets/${enc(controllerId)}`, `target ${controllerId}`);
  }

  deleteTarget(controllerId: string): Promise<void> {
    return this.voidCall('DELETE', `/targets/${enc(controllerId)}`, `delete target ${controllerId}`);
  }

  /** One page of targets (`q` is FIQL; bad FIQL → UsageError from hawkBit's 400). */
  listTargets(query: PageQuery = {}): Promise<Paged<Target>> {
    return this.page<Target>('/targets', 'list targets', query);
  }

  /** Every target matching `q`, streamed across pages. */
  targets(query: Omit<PageQuery, 'offset'> = {}): AsyncGenerator<Target> {
    return this.pages<Target>('/targets', 'list targets', query);
  }

  countTargets(q?: string): Promise<number> {
    return this.count('/targets', 'count targets', q);
  }

  /** The distribution set assigned to a target, or undefined (hawkBit answers 204). */
  targetAssignedDs(controllerId: string): Promise<DistributionSet | undefined> {
    return this.getOptional<DistributionSet>(`/targets/${enc(controllerId)}/assignedDS`, `assigned distribution set of ${controllerId}`);
  }

  /** The distribution set installed on a target, or undefined (hawkBit answers 204). */
  targetInstalledDs(controllerId: string): Promise<DistributionSet | undefined> {
    return this.getOptional<DistributionSet>(`/targets/${enc(controllerId)}/installedDS`, `installed distribution set of ${controllerId}`);
  }

  /** One page of a target's actions, newest first (hawkBit's default sort `id:DESC`). */
  targetActions(controllerId: string, query: PageQuery = {}): Promise<Paged<Action>> {
    return this.page<Action>(`/targets/${enc(controllerId)}/actions`, `actions of ${controllerId}`, query);
  }

  /** Every action of a target, newest first. */
  allTargetActions(controllerId: string, query: Omit<PageQuery, 'offset'> = {}): AsyncGenerator<Action> {
    return this.pages<Action>(`/targets/${enc(controllerId)}/actions`, `actions of ${controllerId}`, query);
  }

  /** Assigns a distribution set to one target (a new action unless it is already assigned). */
  assignDs(controllerId: string, dsId: number, type: ForceType = 'forced', forcetime?: number): Promise<AssignmentResult> {
    const body = { id: dsId, type, ...(type === 'timeforced' && forcetime !== undefined ? { forcetime } : {}) };
    return this.call('POST', `/targets/${enc(controllerId)}/assignedDS`, { json: body }).then((res) => this.expect<AssignmentResult>(res, [200, 201], `assign distribution set ${dsId} to ${controllerId}`));
  }

  /** Every action (global list), e.g. `q=rollout.id==7`. */
  actions(query: Omit<PageQuery, 'offset'> = {}): AsyncGenerator<Action> {
    return this.pages<Action>('/actions', 'list actions', query);
  }
}

export function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/**
 * Status of an action in 1.x (`status`) or ≤0.9, whose `status` is only pending|finished and whose
 * `detailStatus` says how it ended (error, canceled, …).
 */
export function actionStatus(a: { status?: string; detailStatus?: string }): string {
  return (a.detailStatus ?? a.status ?? '').toLowerCase();
}

/**
 * The controllerId of an action, from its `target` link (`…/targets/{controllerId}`, full
 * representation) or its `self` link (`…/targets/{controllerId}/actions/{id}`). Never the target
 * link's name: hawkBit puts the target's display name there (the bridge sets it to the device name).
 */
export function actionTarget(action: { _links?: { self?: { href?: string }; target?: { href?: string } } }): string | undefined {
  const m = /\/targets\/([^/?#]+)\/?(?:[?#].*)?$/.exec(action._links?.target?.href ?? '')
    ?? /\/targets\/([^/?#]+)\/actions\/\d+/.exec(action._links?.self?.href ?? '');
  return m ? decodeURIComponent(m[1]!) : undefined;
}
