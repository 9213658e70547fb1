// DELETE {bridge}/devices/{id}: removes the device's WireGuard peer and its record (commands.md
// §7; not in upstream's bridge). A 404 naming the device → NotFoundError, which callers treat as
// "already gone"; FastAPI's bare 404 or a 405 is the missing route, which must not pass for that:
// the peer would stay and the removal would report success.
import { BackendError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { isGenericNotFound } from './devices.js';
import { bridgeCall, bridgeFailure } from './request.js';

export interface BridgeDeleteResult {
  device_id: string;
  released_ip?: string;
  wg_public_key?: string | null;
}

export async function deleteBridgeDevice(f: Factory, deviceId: string): Promise<BridgeDeleteResult> {
  const res = await bridgeCall(f, 'DELETE', `/devices/${encodeURIComponent(deviceId)}`);
  if (res.status === 405 || (res.status === 404 && isGenericNotFound(res))) {
    throw new BackendError(`the bridge does not provide DELETE /devices/{id} (HTTP ${res.status} on the route itself): it predates the device removal cdm needs (commands.md §7); the WireGuard peer of ${deviceId} is still in place`, {
      service: 'bridge', status: res.status,
      hint: `remove it by hand in the tenant's wireguard container: its [Peer] block in wg0.conf and its entry in /wg-config/cdm_peers.json, then \`wg syncconf wg0 <(wg-quick strip wg0)\``,
    });
  }
  if (res.status !== 200 && res.status !== 204) throw bridgeFailure(res, `DELETE /devices/${deviceId}`);
  if (res.status === 204 || res.body.length === 0) return { device_id: deviceId };
  return res.json<BridgeDeleteResult>();
}
