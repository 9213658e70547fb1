// ThingsBoard emulator: alarms raised by the device side and over REST, queried per originator and
// tenant-wide with status filters, acknowledged, cleared (twice → 400 code 31) and deleted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startThingsboard, T0, type TbHarness } from '../../helpers/thingsboard-harness.js';

let tb: TbHarness;
let pump: string;
beforeEach(async () => {
  tb = await startThingsboard();
  pump = await tb.createDevice('pump-17', { label: 'Hall B pump' });
  await tb.createDevice('pump-18');
});
afterEach(async () => { await tb.close(); });

const names = (page: { data: Array<{ type: string }> }): string[] => page.data.map((a) => a.type);

describe('thingsboard emulator: alarms', () => {
  it('creates alarms over REST, updating the still-active alarm of the same type instead of duplicating it', async () => {
    const first = await tb.send('POST', '/api/alarm', { type: 'High Temperature', originator: { entityType: 'DEVICE', id: pump }, severity: 'MAJOR', details: { data: 'temperature 81.2' } });
    expect(first.body).toMatchObject({
      id: { entityType: 'ALARM' }, type: 'High Temperature', name: 'High Temperature', originator: { entityType: 'DEVICE', id: pump }, severity: 'MAJOR',
      acknowledged: false, cleared: false, status: 'ACTIVE_UNACK', startTs: T0, endTs: T0, ackTs: 0, clearTs: 0, assignTs: 0, assigneeId: null,
      details: { data: 'temperature 81.2' }, propagate: false, propagateRelationTypes: [],
    });
    tb.clock.advance(60_000);
    const again = await tb.send('POST', '/api/alarm', { type: 'High Temperature', originator: { entityType: 'DEVICE', id: pump }, severity: 'CRITICAL' });
    expect(again.body).toMatchObject({ id: first.body.id, severity: 'CRITICAL', endTs: T0 + 60_000, startTs: T0 });
    const info = (await tb.get(`/api/alarm/info/${first.body.id.id}`)).body;
    expect(info).toMatchObject({ originatorName: 'pump-17', originatorLabel: 'Hall B pump', assignee: null });
    expect((await tb.get(`/api/alarm/${first.body.id.id}`)).body.originatorName).toBeUndefined();
  });

  it('validates alarm bodies and ids', async () => {
    expect((await tb.send('POST', '/api/alarm', { originator: { entityType: 'DEVICE', id: pump }, severity: 'MAJOR' })).body).toMatchObject({ status: 400, message: 'Alarm type should be specified!' });
    expect((await tb.send('POST', '/api/alarm', { type: 'x', severity: 'MAJOR' })).body).toMatchObject({ message: 'Alarm originator should be specified!' });
    expect((await tb.send('POST', '/api/alarm', { type: 'x', originator: { entityType: 'DEVICE', id: pump } })).body).toMatchObject({ message: 'Alarm severity should be specified!' });
    const unknown = '6b0a3d10-1f2e-11f0-9a3b-4bd1f0c0a001';
    expect((await tb.get(`/api/alarm/${unknown}`)).body).toEqual({ status: 404, message: `Alarm with id [${unknown}] is not found`, errorCode: 32, timestamp: T0 });
    expect((await tb.send('POST', `/api/alarm/${unknown}/ack`)).status).toBe(404);
    expect((await tb.get(`/api/alarm/DEVICE/${unknown}?pageSize=10&page=0`)).body).toMatchObject({ status: 404, errorCode: 32 });
  });

  it('walks ACTIVE_UNACK → ACTIVE_ACK → CLEARED_ACK and refuses repeats with 400 code 31', async () => {
    tb.emu.raiseAlarm('pump-17', 'Low Battery', 'MINOR', { level: 9 });
    const [alarm] = (await tb.get(`/api/alarm/DEVICE/${pump}?pageSize=10&page=0`)).body.data;
    tb.clock.advance(1000);
    const acked = await tb.send('POST', `/api/alarm/${alarm.id.id}/ack`);
    expect(acked.body).toMatchObject({ status: 'ACTIVE_ACK', acknowledged: true, ackTs: T0 + 1000, originatorName: 'pump-17' });
    expect((await tb.send('POST', `/api/alarm/${alarm.id.id}/ack`)).body).toEqual({ status: 400, message: 'Alarm was already acknowledged!', errorCode: 31, timestamp: T0 + 1000 });
    const cleared = await tb.send('POST', `/api/alarm/${alarm.id.id}/clear`);
    expect(cleared.body).toMatchObject({ status: 'CLEARED_ACK', cleared: true, clearTs: T0 + 1000 });
    expect((await tb.send('POST', `/api/alarm/${alarm.id.id}/clear`)).body).toMatchObject({ status: 400, message: 'Alarm was already cleared!', errorCode: 31 });
    // A cleared alarm no longer absorbs new ones of its type.
    tb.emu.raiseAlarm('pump-17', 'Low Battery', 'MINOR');
    expect((await tb.get(`/api/alarm/DEVICE/${pump}?pageSize=10&page=0`)).body.totalElements).toBe(2);
  });

  it('filters by searchStatus or status (not both), per originator and tenant-wide', async () => {
    tb.emu.raiseAlarm('pump-17', 'A', 'MAJOR');
    tb.clock.advance(10);
    tb.emu.raiseAlarm('pump-17', 'B', 'WARNING');
    tb.clock.advance(10);
    tb.emu.raiseAlarm('pump-18', 'C', 'CRITICAL');
    const all = (await tb.get('/api/alarms?pageSize=10&page=0')).body;
    expect(names(all)).toEqual(['C', 'B', 'A']);
    const b = all.data[1];
    await tb.send('POST', `/api/alarm/${b.id.id}/clear`);
    expect(names((await tb.get('/api/alarms?pageSize=10&page=0&searchStatus=ACTIVE')).body)).toEqual(['C', 'A']);
    expect(names((await tb.get('/api/alarms?pageSize=10&page=0&searchStatus=CLEARED')).body)).toEqual(['B']);
    expect(names((await tb.get('/api/alarms?pageSize=10&page=0&status=CLEARED_UNACK')).body)).toEqual(['B']);
    expect(names((await tb.get(`/api/alarm/DEVICE/${pump}?pageSize=10&page=0&searchStatus=UNACK`)).body)).toEqual(['B', 'A']);
    expect(names((await tb.get(`/api/alarms?pageSize=1&page=1&sortProperty=type`)).body)).toEqual(['B']);
    expect(names((await tb.get(`/api/alarms?pageSize=10&page=0&startTime=${T0 + 5}&endTime=${T0 + 15}`)).body)).toEqual(['B']);
    expect((await tb.get('/api/alarms?pageSize=10&page=0&searchStatus=ANY&status=ACTIVE_ACK')).body).toMatchObject({ status: 400, errorCode: 31 });
    expect((await tb.get('/api/alarms?pageSize=10&page=0&searchStatus=OPEN')).body)
      .toMatchObject({ status: 400, message: 'No enum constant org.thingsboard.server.common.data.alarm.AlarmSearchStatus.OPEN' });
    expect((await tb.get('/api/alarms?page=0')).body).toMatchObject({ status: 400, errorCode: 31 });
  });

  it('deletes alarms, answering true', async () => {
    tb.emu.raiseAlarm('pump-17', 'A', 'MAJOR');
    const [alarm] = (await tb.get('/api/alarms?pageSize=10&page=0')).body.data;
    expect(await tb.send('DELETE', `/api/alarm/${alarm.id.id}`)).toEqual({ status: 200, body: true });
    expect((await tb.get(`/api/alarm/${alarm.id.id}`)).status).toBe(404);
    expect(() => tb.emu.raiseAlarm('pump-17', 'A', 'LOUD')).toThrow(/severity/);
  });
});
