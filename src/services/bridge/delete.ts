// DELETE {bridge}/devices/{id}: removes the device's WireGuard peer and its record (commands.md
// §7; not in upstream's bridge). 404 → NotFoundError, which callers treat as "already gone".
import type { Factory } from '../../core/factory.js';
import { bridgeCall, bridgeFailure } from './request.js';

export interface BridgeDeleteResult {
  device_id: string;
  released_ip?: string;
  wg_public_key?: string | null;
}

export async function deleteBridgeDevice(f: Factory, deviceId: string): Promise<BridgeDeleteResult> {
  const res = await bridgeCall(f, 'DELETE', `/devices/${encodeURIComponent(deviceId)}`);
  if (res.status !== 200 && res.status !== 204) throw bridgeFailure(res, `DELETE /devices/${deviceId}`);
  if (res.status === 204 || res.body.length === 0) return { device_id: deviceId };
  return res.json<BridgeDeleteResult>();
}
