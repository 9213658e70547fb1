// Table views of the device verbs (types only: loaded with the command tree).
import type { View } from '../../src/core/output.js';
import type { AlarmActionResult, AlarmRow } from '../../src/workflows/device/alarms.js';
import type { HealthRow } from '../../src/workflows/device/health.js';
import type { DeviceDetail, DeviceRow } from '../../src/workflows/device/view.js';

const yesNo = (v: boolean | null): string => (v === null ? '' : v ? 'yes' : 'no');
const pct = (v: number | null): string => (v === null ? '' : `${v}%`);

export const DEVICE_VIEW: View<DeviceRow> = [
  { header: 'Device', value: (d) => d.id },
  { header: 'Name', value: (d) => d.name, wide: true },
  { header: 'Type', value: (d) => d.type, wide: true },
  { header: 'Online', value: (d) => yesNo(d.online) },
  { header: 'CPU', value: (d) => pct(d.cpuPercent) },
  { header: 'Disk', value: (d) => pct(d.diskPercent) },
  { header: 'SW version', value: (d) => d.swVersion },
  { header: 'Alarms', value: (d) => d.activeAlarms },
  { header: 'Update', value: (d) => d.updateStatus },
  { header: 'Installed DS', value: (d) => d.installedDs, wide: true },
  { header: 'Assigned DS', value: (d) => d.assignedDs, wide: true },
  { header: 'WireGuard IP', value: (d) => d.wireguardIp },
  { header: 'Cert expires', value: (d) => d.certNotAfter },
  { header: 'OTA', value: (d) => d.otaStatus, wide: true },
  { header: 'Last seen', value: (d) => d.lastActivity, wide: true },
];

/** Telemetry and OTA rows stay empty until a device reports; on a terminal they are left out until then. */
const OPTIONAL_DETAIL_ROWS = new Set(['CPU', 'Disk', 'SW version', 'Installed DS', 'Assigned DS', 'OTA', 'Last seen']);

/** The certificate's status with its revocation, as far as cdm's records on this machine go. */
function certStatus(d: DeviceDetail): string {
  const c = d.certificate;
  if (!c) return '';
  if (c.revoked) return `revoked ${c.revoked.at} (${c.revoked.reason})`;
  return c.renewedBy ? `${c.status}, renewed by cdm as ${c.renewedBy}` : c.status;
}

/** The key the bridge registered: without one it wrote no peer, so the tunnel (and `cdm debug`) cannot work. */
function wireguardKey(d: DeviceDetail): string {
  const key = d.bridge?.wg_public_key;
  if (key === undefined) return ''; // a bridge that does not report keys says nothing either way
  return key || 'none: the bridge has no peer for this device (enroll it again with --wg-public-key)';
}

export const DEVICE_DETAIL_VIEW: View<DeviceDetail> = [
  ...DEVICE_VIEW.flatMap((c) => [
    { ...c, wide: false, omitEmpty: OPTIONAL_DETAIL_ROWS.has(c.header) },
    ...(c.header === 'WireGuard IP' ? [{ header: 'WireGuard key', value: wireguardKey, omitEmpty: true }] : []),
  ]),
  { header: 'Cert serial', value: (d) => d.certSerial },
  { header: 'Cert status', value: certStatus },
  { header: 'Cert file', value: (d) => d.certificate?.file, omitEmpty: true },
  { header: 'ThingsBoard id', value: (d) => d.thingsboardId },
];

export const HEALTH_VIEW: View<HealthRow> = [
  { header: 'Device', value: (r) => r.id },
  { header: 'Online', value: (r) => yesNo(r.online) },
  { header: 'CPU', value: (r) => pct(r.cpuPercent) },
  { header: 'Disk', value: (r) => pct(r.diskPercent) },
  { header: 'Problems', value: (r) => r.problems.join('; ') },
];

export const ALARM_VIEW: View<AlarmRow> = [
  { header: 'Alarm', value: (a) => a.id },
  { header: 'Device', value: (a) => a.device },
  { header: 'Type', value: (a) => a.type },
  { header: 'Severity', value: (a) => a.severity },
  { header: 'Status', value: (a) => a.status },
  { header: 'Created', value: (a) => a.createdAt },
];

export const ALARM_RESULT_VIEW: View<AlarmActionResult> = [
  { header: 'Alarm', value: (r) => r.id },
  { header: 'Outcome', value: (r) => r.outcome },
  { header: 'Status', value: (r) => r.status },
  { header: 'Error', value: (r) => r.error },
];
