// POST {bridge}/devices/{id}/enroll (cdm-platform.md §2.2): CSR, device name and type, the
// device's WireGuard public key → certificate, the issuing CA, the WireGuard address and a client
// config whose PrivateKey is a placeholder. Needs a tenant-realm bearer (cdm-admin/cdm-operator).
import { BackendError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { bridgeCall, bridgeFailure, SERVICE } from './request.js';

export interface EnrollRequest {
  csr: string;
  device_name: string;
  device_type?: string;
  wg_public_key?: string | null;
}

export interface EnrollResponse {
  certificate: string;
  ca_chain: string;
  wireguard_ip: string;
  wireguard_config: string;
}

export async function enrollAtBridge(f: Factory, deviceId: string, req: EnrollRequest): Promise<EnrollResponse> {
  // The bridge re-enrolls on repeat (new certificate, same address), so one retry is harmless.
  const res = await bridgeCall(f, 'POST', `/devices/${encodeURIComponent(deviceId)}/enroll`, req);
  if (res.status !== 200) throw bridgeFailure(res, `enroll ${deviceId}`);
  const body = res.json<Partial<EnrollResponse>>();
  if (typeof body.certificate !== 'string' || typeof body.wireguard_ip !== 'string') {
    throw new BackendError(`bridge: enroll ${deviceId}: the answer has no certificate/wireguard_ip`, { service: SERVICE });
  }
  return { certificate: body.certificate, ca_chain: body.ca_chain ?? '', wireguard_ip: body.wireguard_ip, wireguard_config: body.wireguard_config ?? '' };
}
