// The bridge's records (WireGuard IP, certificate) of one page of devices at a time: one
// `GET /devices?device_id=…` per page, so a listing holds a page of them, not the fleet. A bridge
// that ignores the filter (it predates it) is read whole once instead, as listings did before.
import type { Factory } from '../../core/factory.js';
import { bridgeDevicesWithIds, listBridgeDevices, type BridgeDevice } from '../../services/bridge/devices.js';

/** Ids per request: keeps the request line short (about 3 KB for 100 ids). */
const CHUNK = 100;

export class BridgeLookup {
  private whole: Map<string, BridgeDevice> | undefined;

  constructor(private readonly f: Factory) {}

  /** The records of these device ids (absent ones are not in the map). */
  async of(ids: readonly string[]): Promise<Map<string, BridgeDevice>> {
    if (this.whole) return this.whole;
    const found = new Map<string, BridgeDevice>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const devices = await bridgeDevicesWithIds(this.f, ids.slice(i, i + CHUNK));
      if (devices === undefined) {
        this.whole = new Map((await listBridgeDevices(this.f)).map((d) => [d.device_id, d]));
        return this.whole;
      }
      for (const d of devices) found.set(d.device_id, d);
    }
    return found;
  }
}
