import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { matchesQuery, parseDeviceQuery } from '../../../commands/debug/query.js';

const devices = [
  { device_id: 'sensor-01', wireguard_ip: '10.8.0.2', cert_serial: '77' },
  { device_id: 'sensor-02', wireguard_ip: '10.8.0.3', cert_serial: null },
  { device_id: 'gateway-01', wireguard_ip: '10.8.1.2' },
];
const ids = (q: string) => devices.filter((d) => matchesQuery(parseDeviceQuery(q), d)).map((d) => d.device_id);

describe('--query over the bridge device list', () => {
  it('== and != with * and ?, terms joined by ; (all must hold), camelCase field names too', () => {
    expect(ids('device_id==sensor-*')).toEqual(['sensor-01', 'sensor-02']);
    expect(ids('wireguard_ip==10.8.0.*;device_id!=sensor-02')).toEqual(['sensor-01']);
    expect(ids('deviceId==*-0?')).toEqual(['sensor-01', 'sensor-02', 'gateway-01']);
    expect(ids('wireguardIp==10.8.1.2')).toEqual(['gateway-01']);
    expect(ids('cert_serial==')).toEqual(['sensor-02', 'gateway-01']);
    expect(ids('device_id==sensor.01')).toEqual([]); // dots are literal
  });

  it.each(['', 'device_id', 'device_id=sensor', 'colour==red', 'device_id==a;;x==b', 'device_id~=x'])('refuses %j with exit 2', (q) => {
    expect(() => parseDeviceQuery(q)).toThrow(UsageError);
  });
});
