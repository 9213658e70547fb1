// ThingsBoard emulator: the audit log records each mutation for real, with AuditLog's field shapes,
// and is read back filtered by action type, time and entity.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startThingsboard, T0, TENANT, type TbHarness } from '../../helpers/thingsboard-harness.js';

let tb: TbHarness;
beforeEach(async () => { tb = await startThingsboard(); });
afterEach(async () => { await tb.close(); });

type Log = { actionType: string; actionStatus: string; entityId: { entityType: string; id: string }; entityName: string; actionData: Record<string, unknown>; createdTime: number };
const logs = async (q = ''): Promise<Log[]> => (await tb.get(`/api/audit/logs?pageSize=100&page=0${q}`)).body.data;

describe('thingsboard emulator: audit logs', () => {
  it('records login successes and failures against the user', async () => {
    await tb.login(TENANT.username, 'wrong');
    const entries = await logs('&actionTypes=LOGIN');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ actionType: 'LOGIN', actionStatus: 'FAILURE', entityId: { entityType: 'USER' }, entityName: TENANT.username, userName: TENANT.username });
    expect((entries[0] as unknown as { actionFailureDetails: string }).actionFailureDetails).toContain('BadCredentialsException');
    expect(entries[1]).toMatchObject({ actionStatus: 'SUCCESS', actionFailureDetails: null, actionData: { clientAddress: expect.any(String), browser: expect.any(String), os: 'Unknown', device: 'Unknown' } });
  });

  it('records device, credentials, attribute, alarm and deletion actions with their actionData, newest first', async () => {
    const id = await tb.createDevice('pump-17', {}, '?accessToken=t1');
    tb.clock.advance(1);
    const creds = (await tb.get(`/api/device/${id}/credentials`)).body;
    await tb.send('POST', '/api/device/credentials', { ...creds, credentialsId: 't2' });
    tb.clock.advance(1);
    await tb.send('POST', `/api/plugins/telemetry/DEVICE/${id}/attributes/SHARED_SCOPE`, { targetFw: '2.4.0' });
    tb.clock.advance(1);
    const alarm = (await tb.send('POST', '/api/alarm', { type: 'Overheat', originator: { entityType: 'DEVICE', id }, severity: 'MAJOR' })).body;
    await tb.send('POST', `/api/alarm/${alarm.id.id}/ack`);
    await tb.send('POST', `/api/alarm/${alarm.id.id}/clear`);
    await tb.send('DELETE', `/api/alarm/${alarm.id.id}`);
    tb.clock.advance(1);
    await tb.send('DELETE', `/api/device/${id}`);

    const entries = await logs();
    expect(entries.map((e) => e.actionType)).toEqual(['DELETED', 'ALARM_DELETE', 'ALARM_CLEAR', 'ALARM_ACK', 'ADDED', 'ATTRIBUTES_UPDATED', 'CREDENTIALS_UPDATED', 'ADDED', 'LOGIN']);
    const [deleted, , cleared, acked, alarmAdded, attrs, credsUpd, added] = entries;
    expect(added).toMatchObject({ entityId: { entityType: 'DEVICE', id }, entityName: 'pump-17', actionStatus: 'SUCCESS', createdTime: T0, actionData: { entity: { name: 'pump-17', id: { id } } } });
    expect(credsUpd!.actionData).toMatchObject({ entityId: id, credentials: { credentialsId: 't2', credentialsType: 'ACCESS_TOKEN' } });
    expect(attrs!.actionData).toEqual({ entityId: id, scope: 'SHARED_SCOPE', attributes: { targetFw: '2.4.0' } });
    expect(alarmAdded).toMatchObject({ entityId: { entityType: 'DEVICE', id }, entityName: 'Overheat', actionData: { entity: { type: 'Overheat', status: 'ACTIVE_UNACK' } } });
    expect(acked!.actionData).toMatchObject({ entity: { status: 'ACTIVE_ACK' } });
    expect(cleared!.actionData).toMatchObject({ entity: { status: 'CLEARED_ACK' } });
    expect(deleted).toMatchObject({ actionData: { entityId: id }, createdTime: T0 + 4 });
    const raw = (await tb.get('/api/audit/logs?pageSize=1&page=0')).body;
    expect(raw).toMatchObject({ totalElements: 9, totalPages: 9, hasNext: true });
    expect(Object.keys(raw.data[0].id)).toEqual(['id']);
    expect(raw.data[0]).toMatchObject({ tenantId: { entityType: 'TENANT' }, customerId: { entityType: 'CUSTOMER' }, userId: { entityType: 'USER' }, userName: TENANT.username });
  });

  it('filters by action types (case-insensitive), time and entity, and refuses unknown action types', async () => {
    const a = await tb.createDevice('a');
    tb.clock.advance(1000);
    const b = await tb.createDevice('b');
    tb.clock.advance(1000);
    await tb.send('DELETE', `/api/device/${a}`);
    expect((await logs('&actionTypes=added,deleted')).map((e) => `${e.actionType}:${e.entityName}`)).toEqual(['DELETED:a', 'ADDED:b', 'ADDED:a']);
    expect((await logs(`&startTime=${T0 + 500}&endTime=${T0 + 1500}`)).map((e) => e.entityName)).toEqual(['b']);
    expect((await tb.get(`/api/audit/logs/entity/DEVICE/${b}?pageSize=10&page=0`)).body.data.map((e: Log) => e.actionType)).toEqual(['ADDED']);
    expect((await logs('&textSearch=deleted')).map((e) => e.entityName)).toEqual(['a']);
    expect((await tb.get('/api/audit/logs?pageSize=10&page=0&actionTypes=EXPLODED')).body)
      .toMatchObject({ status: 400, errorCode: 31, message: 'No enum constant org.thingsboard.server.common.data.audit.ActionType.EXPLODED' });
    expect((await tb.get('/api/audit/logs?page=0')).body).toMatchObject({ status: 400, message: "Required request parameter 'pageSize' for method parameter type int is not present" });
  });
});
