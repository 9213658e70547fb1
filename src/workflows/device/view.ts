// One view of a device merged from every service: ThingsBoard (activity, latest telemetry, active
// alarms), hawkBit (update status, installed and assigned distribution set) and the tenant bridge
// (WireGuard IP, certificate serial and expiry). ThingsBoard names devices by device id, hawkBit
// uses it as controller id and the bridge as its key, so the id joins them. A listing joins page by
// page: each ThingsBoard page's ids are asked of hawkBit and the bridge, so memory stays one page.
import { setMaxListeners } from 'node:events';
import { NotFoundError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { BridgeDevice } from '../../services/bridge/devices.js';
import type { BridgeLookup } from './bridge-lookup.js';
import type { ThingsboardClient } from '../../services/thingsboard/client.js';
import type { LatestValues, TbAlarm, TbDevice } from '../../services/thingsboard/types.js';
import type { HawkbitTargets, HbDistributionSet, HbTarget } from './hawkbit.js';
import { readAhead } from './read-ahead.js';
import { lastRemoval, unknownDevice } from './unknown.js';
import { parseSerial } from '../../pki/serial.js';
import { statusOf, type CertStatus } from '../../services/stepca/inventory.js';

export const TELEMETRY_KEYS = ['cpu_percent', 'disk_percent', 'sw_version', 'ota_status', 'rauc_slot'] as const;

export interface DeviceRow {
  id: string;
  /** The name given at enrollment: ThingsBoard's label, else hawkBit's target name, else the bridge's. */
  name: string | null;
  /** The device type given at enrollment (ThingsBoard's device type, else the bridge's). */
  type: string | null;
  online: boolean | null;
  /** Newest telemetry timestamp; in `show`, ThingsBoard's lastActivityTime when it has one. */
  lastActivity: string | null;
  cpuPercent: number | null;
  diskPercent: number | null;
  swVersion: string | null;
  otaStatus: string | null;
  activeAlarms: number;
  updateStatus: string | null;
  installedDs: string | null;
  assignedDs: string | null;
  wireguardIp: string | null;
  certSerial: string | null;
  certNotAfter: string | null;
  thingsboardId: string | null;
}

export interface Services {
  tb: ThingsboardClient;
  hb: HawkbitTargets;
  bridge: BridgeLookup;
}

export async function openServices(f: Factory): Promise<Services> {
  allowConcurrentRequests(f);
  const [{ ThingsboardClient }, { HawkbitTargets }, { BridgeLookup }] = await Promise.all([
    import('../../services/thingsboard/client.js'), import('./hawkbit.js'), import('./bridge-lookup.js'),
  ]);
  const [tb, hb] = await Promise.all([ThingsboardClient.open(f), HawkbitTargets.open(f)]);
  return { tb, hb, bridge: new BridgeLookup(f) };
}

/** Each in-flight request listens on the command's abort signal; many at once are intended. */
export function allowConcurrentRequests(f: Factory): void {
  setMaxListeners(1000, f.signal);
}

export function latestNumber(v: LatestValues, key: string): number | null {
  const raw = v[key]?.[0]?.value;
  if (raw === undefined || raw === null || raw === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

export function latestString(v: LatestValues, key: string): string | null {
  const raw = v[key]?.[0]?.value;
  return raw === undefined || raw === null ? null : String(raw);
}

function dsLabel(ds: { name: string; version: string } | undefined): string | null {
  return ds ? `${ds.name}:${ds.version}` : null;
}

export interface HbInfo { target: HbTarget | undefined; installed: HbDistributionSet | undefined; assigned: HbDistributionSet | undefined }

/** hawkBit's view of one device (three calls; listDevices batches them instead). */
export async function hawkbitInfo(s: Services, id: string): Promise<HbInfo> {
  const [target, installed, assigned] = await Promise.all([
    s.hb.target(id),
    s.hb.distributionSet(id, 'installedDS').catch(ignoreNotFound),
    s.hb.distributionSet(id, 'assignedDS').catch(ignoreNotFound),
  ]);
  return { target, installed, assigned };
}

/** The merged row of one ThingsBoard device, its latest telemetry read here (one call). */
export async function deviceRow(s: Services, d: TbDevice, alarmCount: number, hb: HbInfo, b: BridgeDevice | undefined): Promise<DeviceRow> {
  return rowOf(d, alarmCount, hb, b, await s.tb.latest(d.id.id, TELEMETRY_KEYS));
}

/** The merged row of one ThingsBoard device from what the services answered. */
export function rowOf(d: TbDevice, alarmCount: number, hb: HbInfo, b: BridgeDevice | undefined, latest: LatestValues): DeviceRow {
  const id = d.name;
  return {
    id,
    name: nameOf(d.label, hb.target, b),
    type: d.type || b?.device_type || null,
    online: d.active ?? null,
    lastActivity: newest(latest),
    cpuPercent: latestNumber(latest, 'cpu_percent'),
    diskPercent: latestNumber(latest, 'disk_percent'),
    swVersion: latestString(latest, 'sw_version'),
    otaStatus: latestString(latest, 'ota_status'),
    activeAlarms: alarmCount,
    updateStatus: hb.target?.updateStatus ?? null,
    installedDs: dsLabel(hb.installed),
    assignedDs: dsLabel(hb.assigned),
    wireguardIp: b?.wireguard_ip ?? null,
    certSerial: b?.cert_serial ?? null,
    certNotAfter: b?.cert_not_after ?? null,
    thingsboardId: d.id.id,
  };
}

/** The first non-empty of the names the services hold for the device. */
function nameOf(label: string | null | undefined, target: HbTarget | undefined, b: BridgeDevice | undefined): string | null {
  return label || target?.name || b?.device_name || null;
}

/**
 * When the device last reported telemetry (ISO), from the latest values' timestamps. A key without
 * a value does not count: the per-device endpoint answers it as `{ts: <now>, value: null}`.
 */
function newest(v: LatestValues): string | null {
  let ts = 0;
  for (const series of Object.values(v)) {
    const p = series?.[0];
    if (p && p.value !== null && p.value !== undefined) ts = Math.max(ts, p.ts);
  }
  return ts > 0 ? new Date(ts).toISOString() : null;
}

function ignoreNotFound(err: unknown): undefined {
  if (err instanceof NotFoundError) return undefined;
  throw err;
}

/** Active alarms of the tenant counted by originator (ThingsBoard device UUID). */
export async function activeAlarmCounts(tb: ThingsboardClient): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const page of tb.alarmPages({ searchStatus: 'ACTIVE' })) {
    for (const a of page) counts.set(a.originator.id, (counts.get(a.originator.id) ?? 0) + 1);
  }
  return counts;
}

export interface ListFilter {
  online?: boolean;
  swVersion?: string;
  withAlarms?: boolean;
  query?: string;
  /** Stop after this many rows (undefined = all). */
  limit?: number;
  /** Called when the listing stopped at `limit` with devices left unread (which may or may not match the filters). */
  onLimited?: () => void;
}

/**
 * Merged rows, streamed page by page as ThingsBoard hands them out; rows are not kept. Per page:
 * hawkBit's targets of its ids (and, with --query, only those matching), the sets in use installed
 * on / assigned to them, the bridge's records of them, and their latest telemetry (one entity data
 * query). Held for the whole listing: active alarm counts (one entry per device with alarms) and
 * the sets in use.
 */
export async function* listDevices(f: Factory, filter: ListFilter): AsyncGenerator<DeviceRow> {
  const s = await openServices(f);
  const [alarms, inUse] = await Promise.all([activeAlarmCounts(s.tb), s.hb.setsInUse()]);
  let emitted = 0;
  // A short listing asks for a short first page, so `--limit 5` reads 10 devices, not 100.
  const pageSize = filter.limit !== undefined ? Math.min(100, Math.max(10, filter.limit)) : 100;
  const pages = s.tb.deviceInfoPages({ ...(filter.online === undefined ? {} : { active: filter.online }), pageSize });
  const ahead = readAhead(pages);
  for await (const page of ahead) {
    let candidates = filter.withAlarms ? page.filter((d) => (alarms.get(d.id.id) ?? 0) > 0) : page;
    let targets: Map<string, HbTarget> | undefined;
    if (filter.query !== undefined) {
      // hawkBit decides which of this page match the query.
      targets = await s.hb.targetsIn(candidates.map((d) => d.name), filter.query);
      candidates = candidates.filter((d) => targets!.has(d.name));
    }
    if (filter.limit !== undefined && filter.swVersion === undefined) candidates = candidates.slice(0, filter.limit - emitted);
    if (candidates.length === 0) continue;
    const ids = candidates.map((d) => d.name);
    const [found, sets, bridge, latest] = await Promise.all([
      targets ?? s.hb.targetsIn(ids), s.hb.setsOf(ids, inUse), s.bridge.of(ids), s.tb.latestOfMany(candidates.map((d) => d.id.id), TELEMETRY_KEYS),
    ]);
    for (const d of candidates) {
      const r = rowOf(d, alarms.get(d.id.id) ?? 0, {
        target: found.get(d.name), installed: sets.installed.get(d.name), assigned: sets.assigned.get(d.name),
      }, bridge.get(d.name), latest.get(d.id.id)?.telemetry ?? {});
      if (filter.swVersion !== undefined && r.swVersion !== filter.swVersion && !(r.installedDs ?? '').endsWith(`:${filter.swVersion}`)) continue;
      yield r;
      if (filter.limit !== undefined && ++emitted >= filter.limit) {
        // Left unread: the rest of this page, or a next page (already on its way: read-ahead).
        if (page.indexOf(d) < page.length - 1 || !(await ahead.next()).done) filter.onLimited?.();
        return;
      }
    }
  }
}

/**
 * The device's current certificate: serial and expiry as the bridge recorded them, status and file
 * as far as cdm's records on this machine go (step-ca cannot be asked whether a serial is revoked).
 */
export interface DeviceCertificate {
  serial: string;
  notAfter: string | null;
  status: CertStatus;
  /** Set when cdm revoked it from this machine. */
  revoked: { at: string; reasonCode: number; reason: string } | null;
  file: string | null;
  renewedBy: string | null;
}

export interface DeviceDetail extends DeviceRow {
  certificate: DeviceCertificate | null;
  thingsboard: { device: TbDevice; telemetry: Record<string, unknown>; attributes: Record<string, unknown>; alarms: TbAlarm[] } | null;
  hawkbit: { target: unknown; installedDs: unknown; assignedDs: unknown } | null;
  bridge: BridgeDevice | null;
}

/** Everything every service knows about one device; exit 3 when none knows it. */
export async function showDevice(f: Factory, id: string): Promise<DeviceDetail> {
  const s = await openServices(f);
  const [tbDevice, target, bridge] = await Promise.all([s.tb.deviceByName(id), s.hb.target(id), s.bridge.of([id])]);
  const b = bridge.get(id) ?? null;
  if (!tbDevice && !target && !b) throw unknownDevice(id, 'ThingsBoard, hawkBit and the bridge', await lastRemoval(f.paths.stateDir, (await f.context()).name, id));
  let thingsboard: DeviceDetail['thingsboard'] = null;
  let info: TbDevice | undefined;
  const alarms: TbAlarm[] = [];
  if (tbDevice) {
    info = await s.tb.deviceInfo(tbDevice.id.id);
    const [latest, attrs] = await Promise.all([s.tb.latest(tbDevice.id.id), s.tb.serverAttributes(tbDevice.id.id)]);
    for await (const page of s.tb.alarmPages({ deviceId: tbDevice.id.id, searchStatus: 'ANY' })) alarms.push(...page);
    thingsboard = {
      device: info,
      telemetry: Object.fromEntries(Object.entries(latest).map(([k, v]) => [k, v?.[0] ?? null])),
      attributes: Object.fromEntries(attrs.map((a) => [a.key, a.value])),
      alarms,
    };
  }
  const hb = target ? await hawkbitInfo(s, id) : { target: undefined, installed: undefined, assigned: undefined };
  const { installed, assigned } = hb;
  const activeCount = alarms.filter((a) => !a.cleared).length;
  const row: DeviceRow = info
    ? await deviceRow(s, info, activeCount, hb, b ?? undefined)
    : {
        id, name: nameOf(undefined, target, b ?? undefined), type: b?.device_type || null, online: null, lastActivity: null, cpuPercent: null, diskPercent: null, swVersion: null, otaStatus: null, activeAlarms: 0,
        updateStatus: target?.updateStatus ?? null, installedDs: dsLabel(installed), assignedDs: dsLabel(assigned),
        wireguardIp: b?.wireguard_ip ?? null, certSerial: b?.cert_serial ?? null, certNotAfter: b?.cert_not_after ?? null, thingsboardId: null,
      };
  const lastActivity = thingsboard?.attributes.lastActivityTime;
  if (typeof lastActivity === 'number' && lastActivity > 0) row.lastActivity = new Date(lastActivity).toISOString();
  return {
    ...row, thingsboard,
    hawkbit: target ? { target, installedDs: installed ?? null, assignedDs: assigned ?? null } : null,
    bridge: b,
    certificate: b?.cert_serial ? await deviceCertificate(f, b.cert_serial, b.cert_not_after ?? null) : null,
  };
}

async function deviceCertificate(f: Factory, serialText: string, notAfter: string | null): Promise<DeviceCertificate | null> {
  let serial: string;
  try { serial = parseSerial(serialText).decimal; } catch { return null; }
  const { recordedCertificate } = await import('../cert/list.js');
  const known = await recordedCertificate(f, serial);
  const expiry = known?.notAfter ?? notAfter;
  const status: CertStatus = known?.status ?? statusOf({ notAfter: expiry }, f.clock());
  return { serial, notAfter: expiry, status, revoked: known?.revoked ?? null, file: known?.certFile ?? null, renewedBy: known?.renewedBy ?? null };
}
