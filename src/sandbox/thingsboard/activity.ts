// Device "active" state (B.5): kept by the device-state service, not by Device. Traffic from the
// device (telemetry, activity reports, a connecting session) moves lastActivityTime; the device is
// active while now − lastActivityTime < inactivity timeout (default 600 s, per-device override in the
// `inactivityTimeout` server attribute). Computed at read time, so the flip happens exactly at the
// timeout rather than at ThingsBoard's next periodic check. REST calls with a user JWT do not count.
import type { ActivityRec, StoredKv, TbState } from './state.js';

export interface DeviceStateView {
  active: boolean;
  /** When `active` last took its current value (the attribute's lastUpdateTs). */
  since: number;
  lastActivityTime: number;
  lastConnectTime: number;
  lastDisconnectTime: number;
  inactivityAlarmTime: number;
}

const EMPTY: ActivityRec = { lastActivityTime: 0, lastConnectTime: 0, lastDisconnectTime: 0 };

export function inactivityTimeout(s: TbState, deviceId: string, fallbackMs: number): number {
  const own = s.attributes[deviceId]?.SERVER_SCOPE?.['inactivityTimeout']?.value;
  return own && (own.type === 'LONG' || own.type === 'DOUBLE') && own.v > 0 ? own.v : fallbackMs;
}

export function deviceState(s: TbState, deviceId: string, createdTime: number, now: number, fallbackMs: number): DeviceStateView {
  const a = s.activity[deviceId] ?? EMPTY;
  const timeout = inactivityTimeout(s, deviceId, fallbackMs);
  const active = a.lastActivityTime > 0 && now - a.lastActivityTime < timeout;
  const wentInactive = a.lastActivityTime > 0 ? a.lastActivityTime + timeout : 0;
  return {
    active,
    since: active ? Math.max(a.lastConnectTime, createdTime) : (wentInactive || createdTime),
    ...a,
    inactivityAlarmTime: active ? 0 : wentInactive,
  };
}

/** Device traffic: a device that was inactive counts as (re)connecting now. */
export function recordActivity(s: TbState, deviceId: string, now: number, fallbackMs: number): void {
  const a = (s.activity[deviceId] ??= { ...EMPTY });
  const wasActive = a.lastActivityTime > 0 && now - a.lastActivityTime < inactivityTimeout(s, deviceId, fallbackMs);
  if (!wasActive) a.lastConnectTime = now;
  a.lastActivityTime = now;
}

export function recordDisconnect(s: TbState, deviceId: string, now: number): void {
  const a = (s.activity[deviceId] ??= { ...EMPTY });
  a.lastDisconnectTime = now;
}

/** The SERVER_SCOPE attributes the state service maintains; times only once they happened. */
export function stateAttributes(view: DeviceStateView): Record<string, StoredKv> {
  const out: Record<string, StoredKv> = { active: { ts: view.since, value: { type: 'BOOLEAN', v: view.active } } };
  for (const key of ['lastActivityTime', 'lastConnectTime', 'lastDisconnectTime', 'inactivityAlarmTime'] as const) {
    if (view[key] > 0) out[key] = { ts: view[key], value: { type: 'LONG', v: view[key] } };
  }
  return out;
}
