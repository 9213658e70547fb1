// The ThingsBoard side of the expand gate: active alarms on the canary devices since the canary
// started. Login with the context's `thingsboard` credential (POST /api/auth/login → JWT in
// X-Authorization), device by name (the hawkBit controllerId is the ThingsBoard device name in
// CDM), alarms per device with searchStatus=ACTIVE and startTime. Errors keep ThingsBoard's words.
import { NotFoundError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { resolveSecret } from '../../config/secret-ref.js';
import type { HttpClient, HttpResponse } from '../../http/types.js';
import { thingsboardError } from '../../services/thingsboard/errors.js';

export interface DeviceAlarms {
  device: string;
  /** undefined when the device is unknown to ThingsBoard. */
  found: boolean;
  active: Array<{ type: string; severity: string; startTs: number }>;
}

interface PageData<T> { data: T[]; hasNext: boolean }
interface Alarm { type: string; severity: string; startTs?: number; createdTime?: number }

const PAGE = 100;

export class AlarmReader {
  private constructor(private readonly http: HttpClient, private readonly base: string, private readonly token: string) {}

  static async open(f: Factory): Promise<AlarmReader> {
    const ctx = await f.context();
    if (!ctx.thingsboard?.url) throw new UsageError(`context "${ctx.name}" has no ThingsBoard URL`);
    const cred = (await f.credentials()).service(ctx.name, 'thingsboard');
    if (!cred?.username) throw new UsageError(`context "${ctx.name}" has no ThingsBoard credential`, { hint: `cdm auth set-credential thingsboard --username <user> --context ${ctx.name}` });
    const http = await f.http();
    const base = ctx.thingsboard.url.replace(/\/+$/, '');
    const res = await http.request({ service: 'thingsboard', method: 'POST', url: `${base}/api/auth/login`, json: { username: cred.username, password: await resolveSecret(cred.secret, f.io.env) } });
    if (res.status !== 200) throw thingsboardError(res, 'ThingsBoard login');
    return new AlarmReader(http, base, res.json<{ token: string }>().token);
  }

  private get(path: string, query: Record<string, string | number>): Promise<HttpResponse> {
    return this.http.request({ service: 'thingsboard', method: 'GET', url: `${this.base}${path}`, headers: { 'x-authorization': `Bearer ${this.token}` }, query });
  }

  /** Active alarms of one device raised at or after `since` (epoch ms). */
  async activeSince(device: string, since: number): Promise<DeviceAlarms> {
    const found = await this.get('/api/tenant/devices', { deviceName: device });
    if (found.status === 404) return { device, found: false, active: [] };
    if (found.status !== 200) throw thingsboardError(found, `ThingsBoard device ${device}`);
    const id = found.json<{ id: { id: string } }>().id.id;
    const active: DeviceAlarms['active'] = [];
    for (let page = 0; ; page++) {
      const res = await this.get(`/api/alarm/DEVICE/${encodeURIComponent(id)}`, { searchStatus: 'ACTIVE', pageSize: PAGE, page, startTime: since });
      if (res.status === 404) throw new NotFoundError(`ThingsBoard device ${device} disappeared while reading its alarms`, { service: 'thingsboard', status: 404 });
      if (res.status !== 200) throw thingsboardError(res, `alarms of ${device}`);
      const body = res.json<PageData<Alarm>>();
      for (const a of body.data) active.push({ type: a.type, severity: a.severity, startTs: a.startTs ?? a.createdTime ?? 0 });
      if (!body.hasNext || body.data.length === 0) break;
    }
    return { device, found: true, active };
  }
}
