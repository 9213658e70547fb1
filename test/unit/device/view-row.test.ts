// One merged device row from values already read: a telemetry key without a value (the per-device
// endpoint's `{ts: <now>, value: null}`) says nothing about when the device last reported.
import { describe, expect, it } from 'vitest';
import type { TbDevice } from '../../../src/services/thingsboard/types.js';
import { rowOf } from '../../../src/workflows/device/view.js';

const device = { id: { entityType: 'DEVICE', id: 'uuid-1' }, name: 'dev-1', active: true } as unknown as TbDevice;
const noHawkbit = { target: undefined, installed: undefined, assigned: undefined };

describe('rowOf (one merged device row)', () => {
  it('takes the last report from keys that have a value', () => {
    const row = rowOf(device, 2, noHawkbit, undefined, {
      cpu_percent: [{ ts: 1_000, value: '42.5' }], disk_percent: [{ ts: 9_999_999, value: null }], sw_version: [{ ts: 2_000, value: '1.0.0' }],
    });
    expect(row).toMatchObject({ id: 'dev-1', cpuPercent: 42.5, diskPercent: null, swVersion: '1.0.0', lastActivity: new Date(2_000).toISOString(), activeAlarms: 2, online: true });
  });

  it('names the device after ThingsBoard\'s label, else hawkBit\'s target name, else the bridge\'s record', () => {
    const bridge = { device_id: 'dev-1', wireguard_ip: null, device_name: 'Bridge name', device_type: 'pump' };
    const target = { controllerId: 'dev-1', name: 'Target name' } as never;
    expect(rowOf({ ...device, label: 'Label', type: 'gw' }, 0, { ...noHawkbit, target }, bridge, {})).toMatchObject({ name: 'Label', type: 'gw' });
    expect(rowOf({ ...device, label: '' }, 0, { ...noHawkbit, target }, bridge, {})).toMatchObject({ name: 'Target name', type: 'pump' });
    expect(rowOf({ ...device, label: null }, 0, noHawkbit, bridge, {})).toMatchObject({ name: 'Bridge name', type: 'pump' });
    expect(rowOf(device, 0, noHawkbit, undefined, {})).toMatchObject({ name: null, type: null });
  });

  it('has no last report when no key has a value', () => {
    const row = rowOf(device, 0, noHawkbit, undefined, { cpu_percent: [{ ts: Date.now(), value: null }] });
    expect(row.lastActivity).toBeNull();
    expect(row.cpuPercent).toBeNull();
  });
});
