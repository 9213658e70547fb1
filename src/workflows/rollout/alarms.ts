// The ThingsBoard side of the expand gate: active alarms on the canary devices since the canary
// started. Login with the context's `thingsboard` credential (POST /api/auth/login → JWT in
// X-Authorization, through the shared ThingsboardClient), device by name (the hawkBit controllerId is the ThingsBoard device name in
// CDM), alarms per device with searchStatus=ACTIVE and startTime. Errors keep ThingsBoard's words.
import type { Factory } from '../../core/factory.js';
import { ThingsboardClient } from '../../services/thingsboard/client.js';

export interface DeviceAlarms {
  device: string;
  /** undefined when the device is unknown to ThingsBoard. */
  found: boolean;
  active: Array<{ type: string; severity: string; startTs: number }>;
}

interface Alarm { type: string; severity: string; startTs?: number; createdTime?: number }

export class AlarmReader {
  private constructor(private readonly tb: ThingsboardClient) {}

  /** Logs in at once, so a missing or wrong credential fails before the gate or the watch starts. */
  static async open(f: Factory): Promise<AlarmReader> {
    const tb = await ThingsboardClient.open(f);
    await tb.json('GET', '/api/auth/user', 'ThingsBoard login');
    return new AlarmReader(tb);
  }

  /** Active alarms of one device raised at or after `since` (epoch ms). */
  async activeSince(device: string, since: number): Promise<DeviceAlarms> {
    const found = await this.tb.deviceByName(device);
    if (!found) return { device, found: false, active: [] };
    const active: DeviceAlarms['active'] = [];
    for await (const page of this.tb.pages<Alarm>(`/api/alarm/DEVICE/${encodeURIComponent(found.id.id)}`, `alarms of ${device}`, { searchStatus: 'ACTIVE', startTime: since })) {
      for (const a of page) active.push({ type: a.type, severity: a.severity, startTs: a.startTs ?? a.createdTime ?? 0 });
    }
    return { device, found: true, active };
  }
}
