// ThingsBoard emulator: devices, credentials, device profiles and paging, with their refusals,
// and DeviceInfo.active following device activity and the inactivity timeout.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startThingsboard, T0, type TbHarness } from '../../helpers/thingsboard-harness.js';

let tb: TbHarness;
beforeEach(async () => { tb = await startThingsboard({ activityTimeoutMs: 60_000 }); });
afterEach(async () => { await tb.close(); });

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQm9ndXNDZXJ0Rm9yVGVzdHMwCgYIKoZIzj0EAwIwEjEQ\nMA4GA1UEAwwHdGVzdC1jYTAeFw0yNjAxMDEwMDAwMDBa\n-----END CERTIFICATE-----\n';

describe('thingsboard emulator: devices', () => {
  it('creates a device with the default profile and ACCESS_TOKEN credentials from ?accessToken', async () => {
    const r = await tb.send('POST', '/api/device?accessToken=tok-pump-17', { name: 'pump-17', label: 'Hall B pump' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: { entityType: 'DEVICE' }, createdTime: T0, name: 'pump-17', type: 'default', label: 'Hall B pump', version: 1,
      customerId: { entityType: 'CUSTOMER', id: '13814000-1dd2-11b2-8080-808080808080' },
      deviceData: { configuration: { type: 'DEFAULT' }, transportConfiguration: { type: 'DEFAULT' } },
    });
    const creds = await tb.get(`/api/device/${r.body.id.id}/credentials`);
    expect(creds.body).toMatchObject({ deviceId: { entityType: 'DEVICE', id: r.body.id.id }, credentialsType: 'ACCESS_TOKEN', credentialsId: 'tok-pump-17', credentialsValue: null });
    expect(Object.keys(creds.body.id)).toEqual(['id']);
    const generated = await tb.send('POST', '/api/device', { name: 'pump-18' });
    expect((await tb.get(`/api/device/${generated.body.id.id}/credentials`)).body.credentialsId).toMatch(/^[A-Za-z0-9]{20}$/);
  });

  it('refuses a duplicate name, a missing name, a used token and an unknown profile with 400 code 31', async () => {
    await tb.createDevice('dup', {}, '?accessToken=t1');
    expect((await tb.send('POST', '/api/device', { name: 'dup' })).body).toEqual({ status: 400, message: 'Device with such name already exists!', errorCode: 31, timestamp: T0 });
    expect((await tb.send('POST', '/api/device', { label: 'x' })).body).toMatchObject({ message: 'Device name should be specified!', errorCode: 31 });
    expect((await tb.send('POST', '/api/device?accessToken=t1', { name: 'other' })).body).toMatchObject({ message: 'Device credentials are already assigned to another device!' });
    expect((await tb.get('/api/tenant/devices?deviceName=other')).status).toBe(404);
    expect((await tb.send('POST', '/api/device', { name: 'p', deviceProfileId: { entityType: 'DEVICE_PROFILE', id: '6b0a3d10-1f2e-11f0-9a3b-4bd1f0c0a001' } })).body)
      .toMatchObject({ status: 400, message: 'Device is referencing non existing device profile!' });
  });

  it('answers 404 for unknown ids, 400 for malformed ones, 404 "Requested item" for unknown names', async () => {
    const unknown = '6b0a3d10-1f2e-11f0-9a3b-4bd1f0c0a001';
    expect(await tb.get(`/api/device/${unknown}`)).toEqual({ status: 404, body: { status: 404, message: `Device with id [${unknown}] is not found`, errorCode: 32, timestamp: T0 } });
    expect((await tb.send('DELETE', `/api/device/${unknown}`)).status).toBe(404);
    expect((await tb.send('POST', '/api/device', { id: { entityType: 'DEVICE', id: unknown }, name: 'x' })).status).toBe(404);
    expect((await tb.get('/api/device/not-a-uuid')).body).toMatchObject({ status: 400, message: 'Invalid UUID string: not-a-uuid', errorCode: 31 });
    expect((await tb.get('/api/tenant/devices?deviceName=nope')).body).toMatchObject({ status: 404, message: "Requested item wasn't found!", errorCode: 32 });
  });

  it('updates by id with optimistic versions, finds by exact name and deletes', async () => {
    const id = await tb.createDevice('gw-1');
    const upd = await tb.send('POST', '/api/device', { id: { entityType: 'DEVICE', id }, name: 'gw-1b', version: 1 });
    expect(upd.body).toMatchObject({ name: 'gw-1b', version: 2 });
    expect((await tb.send('POST', '/api/device', { id: { entityType: 'DEVICE', id }, name: 'gw-1c', version: 1 })).body).toMatchObject({ status: 409, errorCode: 35 });
    expect((await tb.get('/api/tenant/devices?deviceName=gw-1b')).body.id.id).toBe(id);
    expect(await tb.send('DELETE', `/api/device/${id}`)).toEqual({ status: 200, body: undefined });
    expect((await tb.get(`/api/device/${id}`)).status).toBe(404);
  });

  it('creates X.509 devices with credentials hashed like ThingsBoard (SHA3-256 of the trimmed PEM)', async () => {
    const r = await tb.send('POST', '/api/device-with-credentials', {
      device: { name: 'edge-01', type: 'cdm-x509' }, credentials: { credentialsType: 'X509_CERTIFICATE', credentialsValue: PEM },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'edge-01', type: 'cdm-x509' });
    const trimmed = PEM.replace('-----BEGIN CERTIFICATE-----', '').replace('-----END CERTIFICATE-----', '').replaceAll('\n', '');
    const creds = (await tb.get(`/api/device/${r.body.id.id}/credentials`)).body;
    expect(creds).toMatchObject({ credentialsType: 'X509_CERTIFICATE', credentialsValue: trimmed, credentialsId: createHash('sha3-256').update(trimmed).digest('hex') });
    const again = await tb.send('POST', '/api/device-with-credentials', { device: { name: 'edge-02' }, credentials: { credentialsType: 'X509_CERTIFICATE', credentialsValue: PEM } });
    expect(again.body).toMatchObject({ status: 400, message: 'Device credentials are already assigned to another device!' });
    const badType = await tb.send('POST', '/api/device-with-credentials', { device: { name: 'edge-03' }, credentials: { credentialsType: 'PSK' } });
    expect(badType.body.message).toContain('not one of the values accepted');
  });

  it('updates credentials through POST /api/device/credentials', async () => {
    const id = await tb.createDevice('meter-1', {}, '?accessToken=old');
    const creds = (await tb.get(`/api/device/${id}/credentials`)).body;
    const r = await tb.send('POST', '/api/device/credentials', { ...creds, credentialsId: 'new-token' });
    expect(r.body).toMatchObject({ credentialsId: 'new-token', version: 2 });
    await tb.createDevice('meter-2', {}, '?accessToken=taken');
    expect((await tb.send('POST', '/api/device/credentials', { ...r.body, credentialsId: 'taken' })).body).toMatchObject({ status: 400, message: 'Specified credentials are already registered!' });
    // The first body still says version 1: a stale copy is refused like a stale device.
    expect((await tb.send('POST', '/api/device/credentials', { ...creds, credentialsId: 'other' })).body).toMatchObject({ status: 409, errorCode: 35 });
  });

  it('pages with validation, text search on name or label, sorting and type filter', async () => {
    for (const [name, label] of [['b-pump', 'Hall A'], ['a-valve', 'hall b'], ['c-pump', null]] as const) await tb.createDevice(name, label ? { label } : {});
    await tb.createDevice('d-sensor', { type: 'sensor' });
    expect((await tb.get('/api/tenant/devices?page=0')).body).toEqual({ status: 400, message: "Required request parameter 'pageSize' for method parameter type int is not present", errorCode: 31, timestamp: T0 });
    expect((await tb.get('/api/tenant/devices?pageSize=0&page=0')).body.message).toBe("Incorrect page link page size '0'. Page size must be greater than zero.");
    expect((await tb.get('/api/tenant/devices?pageSize=2&page=-1')).status).toBe(400);
    expect((await tb.get('/api/tenant/devices?pageSize=x&page=0')).body).toMatchObject({ status: 400, errorCode: 31 });
    expect((await tb.get('/api/tenant/devices?pageSize=2&page=0&sortProperty=name&sortOrder=up')).body.message).toBe("Unsupported sort order 'up'! Only 'ASC' or 'DESC' types are allowed.");
    const page = (await tb.get('/api/tenant/devices?pageSize=2&page=1&sortProperty=name&sortOrder=DESC')).body;
    expect(page).toMatchObject({ totalElements: 4, totalPages: 2, hasNext: false });
    expect(page.data.map((d: { name: string }) => d.name)).toEqual(['b-pump', 'a-valve']);
    const search = (await tb.get('/api/tenant/devices?pageSize=10&page=0&textSearch=HALL&sortProperty=name')).body;
    expect(search.data.map((d: { name: string }) => d.name)).toEqual(['a-valve', 'b-pump']);
    const typed = (await tb.get('/api/tenant/devices?pageSize=10&page=0&type=sensor')).body;
    expect(typed.data.map((d: { name: string }) => d.name)).toEqual(['d-sensor']);
    expect((await tb.get('/api/device/types')).body.map((t: { type: string }) => t.type)).toEqual(['cdm-x509', 'default', 'sensor']);
  });

  it('computes DeviceInfo.active from device activity and the inactivity timeout', async () => {
    const id = await tb.createDevice('pump-1');
    await tb.createDevice('pump-2');
    const infos = async (q = ''): Promise<Array<{ name: string; active: boolean }>> => (await tb.get(`/api/tenant/deviceInfos?pageSize=10&page=0&sortProperty=name${q}`)).body.data;
    expect((await infos()).map((d) => d.active)).toEqual([false, false]);
    tb.emu.reportActivity('pump-1');
    expect(await infos('&active=true')).toMatchObject([{ name: 'pump-1', active: true, deviceProfileName: 'default', customerTitle: null, customerIsPublic: false }]);
    tb.clock.advance(59_999);
    expect((await infos('&active=true')).length).toBe(1);
    tb.clock.advance(1);
    expect(await infos('&active=true')).toEqual([]);
    expect((await infos('&active=false')).map((d) => d.name)).toEqual(['pump-1', 'pump-2']);
    expect((await tb.get(`/api/device/info/${id}`)).body.active).toBe(false);
    tb.emu.postTelemetry('pump-1', { cpu_percent: 12 });
    expect((await tb.get(`/api/device/info/${id}`)).body.active).toBe(true);
    expect((await tb.get('/api/tenant/deviceInfos?pageSize=10&page=0&active=maybe')).body).toMatchObject({ status: 400, errorCode: 31 });
  });
});

describe('thingsboard emulator: device profiles', () => {
  it('seeds `default` and CDM\'s `cdm-x509` profile', async () => {
    const list = (await tb.get('/api/deviceProfiles?pageSize=10&page=0&sortProperty=name')).body;
    expect(list.data.map((p: { name: string }) => p.name)).toEqual(['cdm-x509', 'default']);
    const cdm = list.data[0];
    expect(cdm).toMatchObject({
      default: false, type: 'DEFAULT', transportType: 'MQTT', provisionType: 'ALLOW_CREATE_NEW_DEVICES', defaultRuleChainId: { entityType: 'RULE_CHAIN' },
      profileData: { transportConfiguration: { type: 'MQTT', deviceTelemetryTopic: 'v1/devices/me/telemetry', deviceAttributesTopic: 'v1/devices/me/attributes' }, alarms: [] },
    });
    expect((await tb.get(`/api/deviceProfile/${cdm.id.id}`)).body.name).toBe('cdm-x509');
    const infos = (await tb.get('/api/deviceProfileInfos?pageSize=10&page=0&transportType=MQTT')).body;
    expect(infos.data).toEqual([{ id: cdm.id, tenantId: cdm.tenantId, name: 'cdm-x509', image: null, defaultDashboardId: null, type: 'DEFAULT', transportType: 'MQTT' }]);
    expect((await tb.get('/api/deviceProfileInfo/default')).body.name).toBe('default');
    expect((await tb.get('/api/deviceProfiles?pageSize=10&page=0&textSearch=x509')).body.totalElements).toBe(1);
  });

  it('creates profiles, refuses duplicates, and guards deletion of default and used profiles', async () => {
    const created = await tb.send('POST', '/api/deviceProfile', { name: 'lab', type: 'DEFAULT', transportType: 'DEFAULT' });
    expect(created.body).toMatchObject({ name: 'lab', default: false, id: { entityType: 'DEVICE_PROFILE' } });
    expect((await tb.send('POST', '/api/deviceProfile', { name: 'lab' })).body).toMatchObject({ status: 400, message: 'Device profile with such name already exists!' });
    await tb.createDevice('lab-1', { deviceProfileId: created.body.id });
    expect((await tb.send('DELETE', `/api/deviceProfile/${created.body.id.id}`)).body.message).toBe('The device profile referenced by the devices cannot be deleted!');
    const def = (await tb.get('/api/deviceProfileInfo/default')).body;
    expect((await tb.send('DELETE', `/api/deviceProfile/${def.id.id}`)).body.message).toBe('Deletion of Default Device Profile is prohibited!');
    expect((await tb.send('POST', `/api/deviceProfile/${created.body.id.id}/default`)).body.default).toBe(true);
    expect((await tb.get('/api/deviceProfileInfo/default')).body.name).toBe('lab');
    expect((await tb.get('/api/deviceProfile/6b0a3d10-1f2e-11f0-9a3b-4bd1f0c0a001')).body).toMatchObject({ status: 404, errorCode: 32 });
  });
});
