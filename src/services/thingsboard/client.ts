// Typed ThingsBoard CE client for the device views (hawkbit-thingsboard.md PART B): logs in with
// the context's `thingsboard` credential (POST /api/auth/login), sends `X-Authorization: Bearer`,
// refreshes an expired token with the refresh token (POST /api/auth/token, falling back to a new
// login) and retries the call once, walks PageData page by page, and maps error bodies to typed
// errors (errors.ts).
import { AuthError, BackendError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { missingServiceUrl } from '../../config/missing-url.js';
import type { HttpClient, HttpMethod, HttpRequest, HttpResponse } from '../../http/types.js';
import { SERVICE, tbErrorBody, thingsboardError } from './errors.js';
import type { AlarmSearchStatus, DeviceLatest, EntityData, LatestValues, PageData, TbAlarm, TbAttribute, TbDevice } from './types.js';

export const PAGE_SIZE = 100;
/** Calls in flight when a server without entity data queries is asked device by device. */
const PER_DEVICE_CONCURRENCY = 16;

export interface TbLogin { username: string; password: string }

export class ThingsboardClient {
  readonly base: string;
  private token: string | undefined;
  private refreshToken: string | undefined;
  private loggingIn: Promise<void> | undefined;
  /** Whether the server answers entity data queries; unknown until the first one. */
  private entityQuery: boolean | undefined;

  constructor(private readonly http: HttpClient, url: string, private readonly login: TbLogin) {
    this.base = url.replace(/\/+$/, '');
  }

  /** The client of the active context: its ThingsBoard URL and stored credential. */
  static async open(f: Factory): Promise<ThingsboardClient> {
    const ctx = await f.context();
    const url = ctx.thingsboard?.url;
    if (!url) throw missingServiceUrl(ctx, 'ThingsBoard', '--thingsboard-url');
    const cred = (await f.credentials()).service(ctx.name, 'thingsboard');
    if (!cred?.username) {
      throw new AuthError(`context "${ctx.name}" has no ThingsBoard credential`, { service: SERVICE, hint: 'store one: `printf %s "$PW" | cdm auth set-credential thingsboard --username <tenant admin>`' });
    }
    const { resolveSecret } = await import('../../config/secret-ref.js');
    return new ThingsboardClient(await f.http(), url, { username: cred.username, password: await resolveSecret(cred.secret, f.io.env) });
  }

  // ---- devices -------------------------------------------------------------------------------

  /** DeviceInfos (with `active`), one page at a time; `active` filters server-side. */
  deviceInfoPages(opts: { active?: boolean; textSearch?: string; pageSize?: number } = {}): AsyncGenerator<TbDevice[]> {
    return this.pages<TbDevice>('/api/tenant/deviceInfos', 'list devices', {
      ...(opts.active === undefined ? {} : { active: opts.active }),
      ...(opts.textSearch ? { textSearch: opts.textSearch } : {}),
      sortProperty: 'name', sortOrder: 'ASC',
    }, opts.pageSize);
  }

  /** The device named `name` (cdm names ThingsBoard devices by device id), or undefined. */
  async deviceByName(name: string): Promise<TbDevice | undefined> {
    const res = await this.call('GET', '/api/tenant/devices', { deviceName: name });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw thingsboardError(res, `GET device ${name}`);
    return res.json<TbDevice>();
  }

  async deviceInfo(id: string): Promise<TbDevice> {
    return this.json<TbDevice>('GET', `/api/device/info/${enc(id)}`, `GET device info ${id}`);
  }

  async deleteDevice(id: string): Promise<void> {
    const res = await this.call('DELETE', `/api/device/${enc(id)}`);
    if (res.status !== 200) throw thingsboardError(res, `DELETE device ${id}`);
  }

  // ---- telemetry -----------------------------------------------------------------------------

  /** Latest time-series values of a device (all keys when `keys` is empty). */
  async latest(deviceId: string, keys: readonly string[] = []): Promise<LatestValues> {
    return this.json<LatestValues>('GET', `/api/plugins/telemetry/DEVICE/${enc(deviceId)}/values/timeseries`, `latest telemetry of ${deviceId}`,
      keys.length ? { keys: keys.join(',') } : undefined);
  }

  /**
   * Latest time-series values of many devices (ThingsBoard UUIDs) by key, in one entity data query
   * (POST /api/entitiesQuery/find) instead of one call per device; `attributes`: server-scope
   * attributes to read in the same call. A server without that API (404) is asked device by device.
   */
  async latestOfMany(deviceIds: readonly string[], keys: readonly string[], attributes: readonly string[] = []): Promise<Map<string, DeviceLatest>> {
    const out = new Map<string, DeviceLatest>();
    if (deviceIds.length === 0) return out;
    if (this.entityQuery !== false) {
      const res = await this.call('POST', '/api/entitiesQuery/find', undefined, {
        entityFilter: { type: 'entityList', entityType: 'DEVICE', entityList: deviceIds },
        pageLink: { page: 0, pageSize: deviceIds.length },
        latestValues: [...keys.map((key) => ({ type: 'TIME_SERIES', key })), ...attributes.map((key) => ({ type: 'SERVER_ATTRIBUTE', key }))],
      });
      if (res.status === 200) {
        this.entityQuery = true;
        const page = res.json<PageData<EntityData>>();
        if (!Array.isArray(page?.data)) throw new BackendError('ThingsBoard: latest values: the answer is not a PageData', { service: SERVICE });
        for (const e of page.data) {
          out.set(e.entityId.id, { telemetry: fromTsValues(e.latest?.TIME_SERIES), attributes: fromTsValues(e.latest?.SERVER_ATTRIBUTE) });
        }
        return out;
      }
      if (res.status !== 404 || this.entityQuery === true) throw thingsboardError(res, 'latest values of the page\'s devices');
      this.entityQuery = false;
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < deviceIds.length) {
        const id = deviceIds[next++]!;
        const [telemetry, attrs] = await Promise.all([this.latest(id, keys), attributes.length ? this.serverAttributes(id, attributes) : Promise.resolve([])]);
        out.set(id, { telemetry, attributes: Object.fromEntries(attrs.map((a) => [a.key, [{ ts: a.lastUpdateTs ?? 0, value: a.value }]])) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PER_DEVICE_CONCURRENCY, deviceIds.length) }, worker));
    return out;
  }

  async serverAttributes(deviceId: string, keys: readonly string[] = []): Promise<TbAttribute[]> {
    return this.json<TbAttribute[]>('GET', `/api/plugins/telemetry/DEVICE/${enc(deviceId)}/values/attributes/SERVER_SCOPE`, `server attributes of ${deviceId}`,
      keys.length ? { keys: keys.join(',') } : undefined);
  }

  // ---- alarms --------------------------------------------------------------------------------

  /** Alarms of the tenant, or of one device (`deviceId` = ThingsBoard UUID), page by page. */
  alarmPages(opts: { deviceId?: string; searchStatus?: AlarmSearchStatus; pageSize?: number } = {}): AsyncGenerator<TbAlarm[]> {
    const path = opts.deviceId ? `/api/alarm/DEVICE/${enc(opts.deviceId)}` : '/api/alarms';
    return this.pages<TbAlarm>(path, 'list alarms', { searchStatus: opts.searchStatus ?? 'ANY', sortProperty: 'createdTime', sortOrder: 'DESC' }, opts.pageSize);
  }

  async alarm(id: string): Promise<TbAlarm> {
    return this.json<TbAlarm>('GET', `/api/alarm/info/${enc(id)}`, `GET alarm ${id}`);
  }

  /** 400 code 31 "Alarm was already acknowledged!" becomes a ConflictError (exit 5). */
  async ack(id: string): Promise<TbAlarm> {
    return this.json<TbAlarm>('POST', `/api/alarm/${enc(id)}/ack`, `acknowledge alarm ${id}`);
  }

  /** 400 code 31 "Alarm was already cleared!" becomes a ConflictError (exit 5). */
  async clear(id: string): Promise<TbAlarm> {
    return this.json<TbAlarm>('POST', `/api/alarm/${enc(id)}/clear`, `clear alarm ${id}`);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** Every page of a PageData endpoint, as they arrive. */
  async *pages<T>(path: string, what: string, query: Record<string, string | number | boolean | undefined>, pageSize = PAGE_SIZE): AsyncGenerator<T[]> {
    for (let page = 0; ; page++) {
      const body = await this.json<PageData<T>>('GET', path, what, { ...query, pageSize, page });
      if (!Array.isArray(body?.data)) throw new BackendError(`ThingsBoard: ${what}: the answer is not a PageData`, { service: SERVICE });
      if (body.data.length) yield body.data;
      if (!body.hasNext || body.data.length === 0) return;
    }
  }

  async json<T>(method: HttpMethod, path: string, what: string, query?: HttpRequest['query']): Promise<T> {
    const res = await this.call(method, path, query);
    if (res.status !== 200) throw thingsboardError(res, what);
    return res.json<T>();
  }

  /** One authenticated call; an expired token (401 code 11) is refreshed and the call sent again. */
  async call(method: HttpMethod, path: string, query?: HttpRequest['query'], json?: unknown): Promise<HttpResponse> {
    if (!this.token) await this.ensureLogin();
    const send = (): Promise<HttpResponse> => this.http.request({
      service: SERVICE, method, url: `${this.base}${path}`, headers: { 'x-authorization': `Bearer ${this.token!}`, accept: 'application/json' },
      ...(query ? { query } : {}), ...(json === undefined ? {} : { json }),
    });
    const res = await send();
    if (res.status !== 401) return res;
    const stale = this.token;
    await this.renew(stale);
    return send();
  }

  private async ensureLogin(): Promise<void> {
    this.loggingIn ??= this.doLogin().finally(() => { this.loggingIn = undefined; });
    return this.loggingIn;
  }

  /** Refresh once for all concurrent callers that saw the same stale token. */
  private async renew(stale: string | undefined): Promise<void> {
    if (this.token !== stale) return;
    this.loggingIn ??= (async () => {
      if (this.refreshToken) {
        const res = await this.http.request({ service: SERVICE, method: 'POST', url: `${this.base}/api/auth/token`, json: { refreshToken: this.refreshToken }, idempotent: true });
        if (res.status === 200) {
          this.take(res);
          return;
        }
      }
      await this.doLogin();
    })().finally(() => { this.loggingIn = undefined; });
    return this.loggingIn;
  }

  private async doLogin(): Promise<void> {
    const res = await this.http.request({ service: SERVICE, method: 'POST', url: `${this.base}/api/auth/login`, json: { username: this.login.username, password: this.login.password }, idempotent: true });
    if (res.status !== 200) {
      const body = tbErrorBody(res);
      if (res.status === 401) {
        throw new AuthError(`ThingsBoard login as ${this.login.username} failed: ${body?.message ?? 'HTTP 401'}`, { service: SERVICE, status: 401, hint: 'check the context\'s ThingsBoard credential: `cdm auth set-credential thingsboard --username <user>`' });
      }
      throw thingsboardError(res, 'login');
    }
    this.take(res);
  }

  private take(res: HttpResponse): void {
    const body = res.json<{ token?: string; refreshToken?: string }>();
    if (!body.token) throw new BackendError('ThingsBoard: login answered without a token', { service: SERVICE });
    this.token = body.token;
    this.refreshToken = body.refreshToken ?? undefined;
  }
}

/** Entity data query values (strings, `{ts: 0}` for a key without one) as LatestValues. */
function fromTsValues(values: Record<string, { ts: number; value?: string | null }> | undefined): LatestValues {
  const out: LatestValues = {};
  for (const [key, v] of Object.entries(values ?? {})) {
    if (v.ts > 0 && v.value !== undefined && v.value !== null) out[key] = [{ ts: v.ts, value: v.value }];
  }
  return out;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
