// The bridge's device lookup (commands.md §7): `GET {bridge}/devices/{id}` and `GET {bridge}/devices`,
// Bearer token from the context's Keycloak session. Upstream's iot-bridge-api has neither route
// (reference §2.2): against such a bridge this says which call is missing and what to do by hand
// (exit 1), instead of a bare "404 Not Found" that would read like "no such device".
import { AuthError, BackendError, CdmError, NotFoundError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { HttpResponse } from '../../http/types.js';
import { refuseProviderContext } from './request.js';

export interface BridgeDevice {
  device_id: string;
  /** What the enrollment named and typed it (cdm's bridge records them; others may not). */
  device_name?: string | null;
  device_type?: string | null;
  /** null for a device the bridge knows without a WireGuard peer (e.g. provisioned by a webhook). */
  wireguard_ip: string | null;
  wg_public_key?: string | null;
  cert_serial?: string | null;
  cert_not_after?: string | null;
  enrolled_at?: string | null;
}

const SERVICE = 'bridge';
const PAGE = 500;

/** For `cdm debug`: how to reach a device the bridge does not know. */
export const DEBUG_NOT_FOUND_HINT = 'cdm debug exec --query … lists what the bridge knows; or pass --host <ip>';

/** What to do without the route: the bridge's peer map holds the same data (reference §2.3). */
const BY_HAND = 'read the device\'s WireGuard IP from the tenant WireGuard volume (`cat /wg-config/cdm_peers.json` in the wireguard container: {"<device_id>": "<ip>"}) and pass it with --host <ip>';

/** `notFoundHint`: what the caller's user can do about an unknown device (debug: pass --host). */
export async function getBridgeDevice(f: Factory, id: string, notFoundHint = '`cdm device list` shows the fleet'): Promise<BridgeDevice> {
  const base = await bridgeUrl(f);
  const res = await get(f, `${base}/devices/${encodeURIComponent(id)}`);
  if (res.status === 404 || res.status === 405) {
    // FastAPI answers an unknown route with 404 {"detail":"Not Found"} — the same status as an
    // unknown device. Asking for the list tells the two apart: if it is there, the device is not.
    if (res.status === 405 || isGenericNotFound(res)) {
      const list = await get(f, `${base}/devices`);
      if (list.status === 404 || list.status === 405) throw missingRoute(`GET /devices/{id}`, base, res.status);
    }
    throw new NotFoundError(`device "${id}" is not enrolled at the bridge (${base})`, { service: SERVICE, status: 404, hint: notFoundHint });
  }
  if (res.status !== 200) throw bridgeError(res, `GET /devices/${id}`);
  return validDevice(res.json<unknown>(), `GET /devices/${id}`);
}

export async function listBridgeDevices(f: Factory): Promise<BridgeDevice[]> {
  const base = await bridgeUrl(f);
  const all: BridgeDevice[] = [];
  // Pages of `offset`/`limit` while the bridge reports a larger `total` (the sandbox bridge does);
  // a bridge that ignores them answers everything at once and the loop ends after one call.
  for (;;) {
    const { devices, total } = devicePage(await get(f, `${base}/devices?offset=${all.length}&limit=${PAGE}`), base);
    all.push(...devices);
    if (devices.length === 0 || total === undefined || all.length >= total) return all;
  }
}

/**
 * The bridge's records of these devices (`GET /devices?device_id=…`, repeated as FastAPI reads a
 * list; the sandbox bridge serves it), or undefined when the bridge ignored the filter — it then
 * answered devices not asked for, or a total beyond them — so the caller falls back to the list.
 */
export async function bridgeDevicesWithIds(f: Factory, ids: readonly string[]): Promise<BridgeDevice[] | undefined> {
  const wanted = new Set(ids);
  if (wanted.size === 0) return [];
  const base = await bridgeUrl(f);
  const query = new URLSearchParams([...wanted].map((id) => ['device_id', id]));
  query.set('limit', String(wanted.size));
  const { devices, total } = devicePage(await get(f, `${base}/devices?${query}`), base);
  if (devices.some((d) => !wanted.has(d.device_id)) || (total !== undefined && total > wanted.size)) return undefined;
  return devices;
}

/** One answer of GET /devices: the contract names the fields, not an envelope — a bare array, or {devices|items: [...], total?}. */
function devicePage(res: HttpResponse, base: string): { devices: BridgeDevice[]; total: number | undefined } {
  if (res.status === 404 || res.status === 405) throw missingRoute('GET /devices', base, res.status);
  if (res.status !== 200) throw bridgeError(res, 'GET /devices');
  const body = res.json<unknown>();
  const envelope = (Array.isArray(body) ? { devices: body } : body ?? {}) as { devices?: unknown; items?: unknown; total?: unknown };
  const page = envelope.devices ?? envelope.items;
  if (!Array.isArray(page)) throw new BackendError('bridge: GET /devices returned no device list', { service: SERVICE, status: res.status });
  return { devices: page.map((d) => validDevice(d, 'GET /devices')), total: typeof envelope.total === 'number' ? envelope.total : undefined };
}

async function bridgeUrl(f: Factory): Promise<string> {
  const ctx = await f.context();
  refuseProviderContext(ctx);
  const url = ctx.bridge?.url;
  if (!url) throw new UsageError(`context "${ctx.name}" has no bridge URL, so devices cannot be looked up`, { hint: 'add one with `cdm context add … --bridge-url <url> --overwrite`, or pass --host <ip>' });
  return url.replace(/\/+$/, '');
}

async function get(f: Factory, url: string): Promise<HttpResponse> {
  const token = await (await f.session()).accessToken();
  return (await f.http()).request({ service: SERVICE, method: 'GET', url, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
}

/** FastAPI's answer for a route it does not have (not for an unknown device, which names it). */
export function isGenericNotFound(res: HttpResponse): boolean {
  try {
    return (JSON.parse(res.text()) as { detail?: unknown }).detail === 'Not Found';
  } catch {
    return res.text().trim() === '' || res.text().trim() === 'Not Found';
  }
}

function missingRoute(call: string, base: string, status: number): BackendError {
  return new BackendError(`the bridge at ${base} does not provide ${call} (HTTP ${status} on the route itself): it predates the device lookup cdm needs (commands.md §7)`, {
    service: SERVICE, status, hint: BY_HAND,
  });
}

function bridgeError(res: HttpResponse, call: string): AuthError | BackendError {
  let detail = `HTTP ${res.status}`;
  try {
    const body = JSON.parse(res.text()) as { detail?: unknown; error?: unknown };
    const d = body.detail ?? body.error;
    if (typeof d === 'string') detail = d;
    else if (d !== undefined) detail = JSON.stringify(d);
  } catch { /* not JSON: keep the status */ }
  const message = `bridge: ${call}: ${detail}`;
  if (res.status === 401) return new AuthError(message, { service: SERVICE, status: 401, hint: 'run `cdm auth login`' });
  if (res.status === 403) return new AuthError(message, { service: SERVICE, status: 403, hint: 'the token lacks role cdm-admin or platform-admin' });
  return new BackendError(message, { service: SERVICE, status: res.status });
}

function validDevice(raw: unknown, call: string): BridgeDevice {
  const d = raw as Partial<BridgeDevice> | null;
  if (!d || typeof d.device_id !== 'string' || (typeof d.wireguard_ip !== 'string' && d.wireguard_ip !== null && d.wireguard_ip !== undefined)) {
    throw new BackendError(`bridge: ${call} returned a device without device_id or with a malformed wireguard_ip`, { service: SERVICE });
  }
  return { ...d, wireguard_ip: d.wireguard_ip ?? null } as BridgeDevice;
}

/** The bridge knows the device but it has no WireGuard peer (exit 1). */
export class NoWireguardIpError extends CdmError {}

/** The address to reach a device over WireGuard, or a clear error when it has none. */
export function wireguardAddress(d: BridgeDevice): string {
  if (d.wireguard_ip === null) {
    throw new NoWireguardIpError(`device "${d.device_id}" has no WireGuard IP at the bridge: it cannot be reached over the tunnel`, {
      hint: 'enroll it with a WireGuard key (`cdm device enroll`), or pass --host <ip> if it is reachable otherwise',
    });
  }
  // null or empty (not absent: a bridge may not report keys) means the bridge wrote no [Peer] for it.
  if (d.wg_public_key === null || d.wg_public_key === '') {
    throw new NoWireguardIpError(`device "${d.device_id}" has a WireGuard IP but no WireGuard key at the bridge, so the bridge wrote no peer for it: its tunnel cannot be up`, {
      hint: 'enroll it again with --wg-public-key <its key>, or pass --host <ip> if it is reachable otherwise',
    });
  }
  return d.wireguard_ip;
}
