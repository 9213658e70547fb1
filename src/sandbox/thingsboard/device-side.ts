// The device side, for the sandbox's device simulator: what a device sends over MQTT/HTTP with its
// credentials, and what the tenant's rule chain then does with it. Telemetry is typed like the
// transport's JsonConverter (type cast on) and counts as device activity. For devices on a profile
// that uses the CDM rule chain (`cdm-x509`), a message carrying ota_status, rauc_slot or
// rauc_bundle_version is also saved whole as SERVER_SCOPE attributes ("Has OTA Status?" → "Save
// OTA Attributes", cdm-platform.md §6.3). The chain's REST calls to the bridge are not emulated.
import type { RpcHandler, Tb } from './api.js';
import { recordActivity, recordDisconnect } from './activity.js';
import { createOrUpdateActive, SEVERITIES } from './alarms.js';
import { putAttributes } from './attributes.js';
import { findDeviceByName, findProfile, type DeviceRec, type TbState } from './state.js';
import { insertPoint, parseTelemetry } from './telemetry.js';

const OTA_KEYS = ['ota_status', 'rauc_slot', 'rauc_bundle_version'];

function device(s: TbState, name: string): DeviceRec {
  const d = findDeviceByName(s, name);
  // The transport would refuse the device's credentials: there is no such device.
  if (!d) throw new Error(`ThingsBoard sandbox: no device named "${name}"`);
  return d;
}

function usesCdmChain(s: TbState, d: DeviceRec): boolean {
  const chain = findProfile(s, d.profileId)?.['defaultRuleChainId'];
  return typeof chain === 'object' && chain !== null && (chain as { id?: unknown }).id === s.cdmRuleChainId;
}

export interface DeviceSide {
  postTelemetry(deviceName: string, values: Record<string, unknown>, ts?: number): void;
  reportActivity(deviceName: string): void;
  raiseAlarm(deviceName: string, type: string, severity: string, details?: unknown): void;
  onRpc(deviceName: string, handler: RpcHandler | undefined): void;
}

export function createDeviceSide(tb: Tb): DeviceSide {
  return {
    postTelemetry(deviceName, values, ts) {
      const now = tb.now();
      const d = device(tb.store.state, deviceName);
      const entries = parseTelemetry(ts === undefined ? values : { ts, values }, now);
      // Deferred patches: a simulated fleet's telemetry touches only its devices' records.
      tb.store.patchDeferred((s, touch) => {
        const known = s.timeseries[d.id] !== undefined;
        for (const e of entries) {
          insertPoint(s, d.id, e.key, e.ts, e.value);
          if (known) touch('timeseries', d.id, e.key);
        }
        if (!known) touch('timeseries', d.id);
        recordActivity(s, d.id, now, tb.activityTimeoutMs);
        touch('activity', d.id);
        if (usesCdmChain(s, d) && entries.some((e) => OTA_KEYS.includes(e.key))) {
          putAttributes(s, d.id, 'SERVER_SCOPE', entries.map((e) => [e.key, e.value]), now);
          touch('attributes', d.id);
        }
      });
    },
    reportActivity(deviceName) {
      const d = device(tb.store.state, deviceName);
      tb.store.patchDeferred((s, touch) => {
        recordActivity(s, d.id, tb.now(), tb.activityTimeoutMs);
        touch('activity', d.id);
      });
    },
    raiseAlarm(deviceName, type, severity, details) {
      if (!SEVERITIES.includes(severity)) throw new Error(`ThingsBoard sandbox: alarm severity must be one of ${SEVERITIES.join(', ')}`);
      const d = device(tb.store.state, deviceName);
      tb.store.patchDeferred((s, touch) => {
        const { alarm } = createOrUpdateActive(s, d.id, { type, severity, details: details ?? null }, tb.now());
        touch('alarms', s.alarms.indexOf(alarm));
      });
    },
    onRpc(deviceName, handler) {
      // Registering is the device's session connecting; removing it, disconnecting.
      if (handler) tb.rpcHandlers.set(deviceName, handler);
      else tb.rpcHandlers.delete(deviceName);
      const d = findDeviceByName(tb.store.state, deviceName);
      if (!d) return;
      tb.store.patchDeferred((s, touch) => {
        if (handler) recordActivity(s, d.id, tb.now(), tb.activityTimeoutMs);
        else recordDisconnect(s, d.id, tb.now());
        touch('activity', d.id);
      });
    },
  };
}
