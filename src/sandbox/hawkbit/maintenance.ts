// Maintenance windows of assignments: a Quartz cron `schedule` (seconds minutes hours
// day-of-month month day-of-week [year]), a `duration` HH:mm:ss and a `timezone` offset (+HH:mm).
// The DDI reports `maintenanceWindow: available` while `now` lies inside a window that started
// at a cron fire time, else `unavailable` (and then `update: skip`). Fire times are matched at
// minute granularity, which covers the schedules hawkBit's UI and docs use.
import type { MaintenanceWindow } from './state.js';

type FieldMatcher = (v: number) => boolean;

function field(spec: string, min: number, max: number, names: string[] = []): FieldMatcher | undefined {
  if (spec === '*' || spec === '?') return () => true;
  const value = (s: string): number => {
    const i = names.indexOf(s.toUpperCase());
    return i >= 0 ? i + min : Number(s);
  };
  const parts = spec.split(',').map((part) => {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo: number;
    let hi: number;
    if (range === '*') { lo = min; hi = max; } else if (range!.includes('-')) { const [a, b] = range!.split('-'); lo = value(a!); hi = value(b!); } else { lo = value(range!); hi = stepText === undefined ? lo : max; }
    if (![lo, hi, step].every(Number.isInteger) || step < 1) return undefined;
    return (v: number): boolean => v >= lo && v <= hi && (v - lo) % step === 0;
  });
  if (parts.some((p) => p === undefined)) return undefined;
  return (v) => parts.some((p) => p!(v));
}

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

interface Cron { minute: FieldMatcher; hour: FieldMatcher; dom: FieldMatcher; month: FieldMatcher; dow: FieldMatcher }

function parseCron(schedule: string): Cron | undefined {
  const f = schedule.trim().split(/\s+/);
  if (f.length < 6 || f.length > 7) return undefined;
  const minute = field(f[1]!, 0, 59);
  const hour = field(f[2]!, 0, 23);
  const dom = field(f[3]!, 1, 31);
  const month = field(f[4]!, 1, 12, MONTHS);
  // Quartz day-of-week is 1 (SUN) … 7 (SAT).
  const dowQuartz = field(f[5]!, 1, 7, DAYS);
  if (!minute || !hour || !dom || !month || !dowQuartz) return undefined;
  return { minute, hour, dom, month, dow: (d) => dowQuartz(d + 1) };
}

function offsetMinutes(tz: string): number | undefined {
  if (/^(Z|UTC)$/i.test(tz)) return 0;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(tz);
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function durationMinutes(d: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(d);
  return m ? Number(m[1]) * 60 + Number(m[2]) + (Number(m[3]) > 0 ? 1 : 0) : undefined;
}

/** Whether the window is well formed (hawkBit refuses a bad one with maintenanceScheduleInvalid). */
export function validWindow(w: MaintenanceWindow): boolean {
  return parseCron(w.schedule) !== undefined && offsetMinutes(w.timezone) !== undefined && (durationMinutes(w.duration) ?? 0) > 0;
}

/** True while `now` is inside a window opened by a cron fire time. */
export function windowAvailable(w: MaintenanceWindow, now: number): boolean {
  const cron = parseCron(w.schedule);
  const offset = offsetMinutes(w.timezone);
  const duration = durationMinutes(w.duration);
  if (!cron || offset === undefined || duration === undefined) return false;
  const local = now + offset * 60_000;
  const startMinute = Math.floor(local / 60_000);
  for (let i = 0; i < duration; i++) {
    const d = new Date((startMinute - i) * 60_000);
    if (cron.minute(d.getUTCMinutes()) && cron.hour(d.getUTCHours()) && cron.dom(d.getUTCDate()) && cron.month(d.getUTCMonth() + 1) && cron.dow(d.getUTCDay())) return true;
  }
  return false;
}
