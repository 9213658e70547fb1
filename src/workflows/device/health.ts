// The morning review (cdm-platform.md §7.4): from ThingsBoard's latest telemetry (cpu_percent,
// disk_percent) and device activity (DeviceInfo.active, server attribute lastActivityTime), the
// devices over a threshold or offline for longer than allowed, worst first.
import type { Factory } from '../../core/factory.js';
import { count } from '../../core/plural.js';
import { allowConcurrentRequests, latestNumber } from './view.js';

export interface HealthOptions {
  cpuAbove: number;
  diskAbove: number;
  /** Offline devices are reported once inactive this long (ms). */
  offlineForMs: number;
}

export interface HealthRow {
  id: string;
  online: boolean | null;
  /** Offline since the last activity, or since ThingsBoard created a device that never connected. */
  offlineForMs: number | null;
  /** Offline and never connected. */
  neverActive: boolean;
  cpuPercent: number | null;
  diskPercent: number | null;
  problems: string[];
  /** Larger is worse: offline devices first (longest first), then by how far over a threshold. */
  score: number;
}

/** The devices that need attention, worst first, and how many devices were checked. */
export interface HealthReport { rows: HealthRow[]; checked: number }

export async function fleetHealth(f: Factory, o: HealthOptions): Promise<HealthReport> {
  const { ThingsboardClient } = await import('../../services/thingsboard/client.js');
  allowConcurrentRequests(f);
  const tb = await ThingsboardClient.open(f);
  const now = f.clock();
  const rows: HealthRow[] = [];
  let total = 0;
  for await (const page of tb.deviceInfoPages()) {
    total += page.length;
    // One query per page: the telemetry of all, and lastActivityTime (wanted for the inactive ones).
    const latest = await tb.latestOfMany(page.map((d) => d.id.id), ['cpu_percent', 'disk_percent'], ['lastActivityTime']);
    const checked = page.map((d): HealthRow => {
      const values = latest.get(d.id.id);
      const cpu = latestNumber(values?.telemetry ?? {}, 'cpu_percent');
      const disk = latestNumber(values?.telemetry ?? {}, 'disk_percent');
      const last = latestNumber(values?.attributes ?? {}, 'lastActivityTime');
      // A device that never connected has been offline since ThingsBoard created it: one enrolled a
      // minute ago is not yet "offline for 1h" (--offline-for), one enrolled last week is.
      const neverActive = d.active === false && !(last !== null && last > 0);
      const since = neverActive ? d.createdTime : last;
      const offlineFor = d.active === false ? (since !== undefined && since !== null ? Math.max(0, now - since) : Number.POSITIVE_INFINITY) : null;
      const problems: string[] = [];
      let score = 0;
      if (offlineFor !== null && offlineFor >= o.offlineForMs) {
        const known = Number.isFinite(offlineFor);
        problems.push(neverActive ? `offline (never active${known ? `, created ${age(offlineFor)} ago` : ''})` : `offline for ${age(offlineFor)}`);
        score += 1_000_000 + Math.min(offlineFor, 1e12) / 1e6;
      }
      if (cpu !== null && cpu > o.cpuAbove) { problems.push(`cpu ${cpu}% > ${o.cpuAbove}%`); score += cpu - o.cpuAbove; }
      if (disk !== null && disk > o.diskAbove) { problems.push(`disk ${disk}% > ${o.diskAbove}%`); score += disk - o.diskAbove; }
      return { id: d.name, online: d.active ?? null, offlineForMs: offlineFor !== null && Number.isFinite(offlineFor) ? offlineFor : null, neverActive, cpuPercent: cpu, diskPercent: disk, problems, score };
    });
    rows.push(...checked.filter((r) => r.problems.length > 0));
  }
  return { rows: rows.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)), checked: total };
}

/** 90061000 → `1d1h1m`: coarse, for humans. */
export function age(ms: number): string {
  const d = Math.floor(ms / 86_400_000), h = Math.floor(ms / 3_600_000) % 24, m = Math.floor(ms / 60_000) % 60, s = Math.floor(ms / 1000) % 60;
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m && !d ? `${m}m` : '', !d && !h ? `${s}s` : ''].filter(Boolean);
  return parts.join('') || '0s';
}

/** The review's closing line when some devices need attention: "1 of 12 devices needs attention." */
export function attentionSummary(needing: number, checked: number): string {
  return `${needing} of ${count(checked, 'device')} ${needing === 1 ? 'needs' : 'need'} attention.`;
}
