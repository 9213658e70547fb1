// ThingsBoard emulator: time series (latest, ranges, aggregation, saving, deleting), attributes per
// scope, the device-state attributes, the CDM rule chain's OTA attributes, and the telemetry
// controller's bare-text refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startThingsboard, T0, type TbHarness } from '../../helpers/thingsboard-harness.js';

let tb: TbHarness;
let id: string;
const T = '/api/plugins/telemetry/DEVICE';
beforeEach(async () => {
  tb = await startThingsboard();
  id = await tb.createDevice('edge-01', { type: 'cdm-x509' });
});
afterEach(async () => { await tb.close(); });

describe('thingsboard emulator: time series', () => {
  it('answers latest values as strings by default and typed with useStrictDataTypes', async () => {
    tb.emu.postTelemetry('edge-01', { cpu_percent: 41, temperature_c: 55.5, ota_status: 'idle', up: true, meta: { slot: 'A' }, disk: '12.5' }, T0 - 1000);
    tb.emu.postTelemetry('edge-01', { cpu_percent: 42 });
    expect((await tb.get(`${T}/${id}/keys/timeseries`)).body).toEqual(['cpu_percent', 'temperature_c', 'ota_status', 'up', 'meta', 'disk']);
    const latest = (await tb.get(`${T}/${id}/values/timeseries?keys=cpu_percent,temperature_c,up,meta,disk,nothing`)).body;
    expect(latest).toEqual({
      cpu_percent: [{ ts: T0, value: '42' }], temperature_c: [{ ts: T0 - 1000, value: '55.5' }], up: [{ ts: T0 - 1000, value: 'true' }],
      meta: [{ ts: T0 - 1000, value: '{"slot":"A"}' }], disk: [{ ts: T0 - 1000, value: '12.5' }], nothing: [{ ts: T0, value: null }],
    });
    const typed = (await tb.get(`${T}/${id}/values/timeseries?keys=cpu_percent,meta,disk&useStrictDataTypes=true`)).body;
    expect(typed).toEqual({ cpu_percent: [{ ts: T0, value: 42 }], meta: [{ ts: T0 - 1000, value: { slot: 'A' } }], disk: [{ ts: T0 - 1000, value: 12.5 }] });
    expect(Object.keys((await tb.get(`${T}/${id}/values/timeseries`)).body)).toHaveLength(6);
  });

  it('queries [startTs, endTs) newest first with limit, ascending with orderBy, and aggregates by interval', async () => {
    for (let i = 0; i < 10; i++) tb.emu.postTelemetry('edge-01', { cpu_percent: i * 10, disk_percent: 50 }, T0 + i * 60_000);
    const range = (q: string): Promise<{ status: number; body: any }> => tb.get(`${T}/${id}/values/timeseries?keys=cpu_percent&startTs=${T0}&endTs=${T0 + 5 * 60_000}${q}`);
    expect((await range('')).body.cpu_percent.map((p: { value: string }) => p.value)).toEqual(['40', '30', '20', '10', '0']);
    expect((await range('&limit=2&orderBy=ASC')).body).toEqual({ cpu_percent: [{ ts: T0, value: '0' }, { ts: T0 + 60_000, value: '10' }] });
    const avg = (await range('&agg=AVG&interval=120000&orderBy=ASC')).body.cpu_percent;
    expect(avg).toEqual([{ ts: T0 + 60_000, value: '5.0' }, { ts: T0 + 180_000, value: '25.0' }, { ts: T0 + 270_000, value: '40.0' }]);
    expect((await range('&agg=MAX&interval=300000&useStrictDataTypes=true')).body).toEqual({ cpu_percent: [{ ts: T0 + 150_000, value: 40 }] });
    expect((await range('&agg=COUNT&interval=300000')).body).toEqual({ cpu_percent: [{ ts: T0 + 150_000, value: '5' }] });
    // interval 0 means no aggregation at all
    expect((await range('&agg=SUM&interval=0&limit=1')).body.cpu_percent).toEqual([{ ts: T0 + 240_000, value: '40' }]);
    expect((await tb.get(`${T}/${id}/values/timeseries?keys=cpu_percent,disk_percent&startTs=${T0 + 9 * 60_000}&endTs=${T0 + 10 * 60_000}`)).body)
      .toEqual({ cpu_percent: [{ ts: T0 + 9 * 60_000, value: '90' }], disk_percent: [{ ts: T0 + 9 * 60_000, value: '50' }] });
  });

  it('falls back to latest values unless keys, startTs and endTs are all given, and refuses malformed ranges', async () => {
    tb.emu.postTelemetry('edge-01', { cpu_percent: 7 }, T0 - 10_000);
    expect((await tb.get(`${T}/${id}/values/timeseries?startTs=${T0}&endTs=${T0 + 1}`)).body).toEqual({ cpu_percent: [{ ts: T0 - 10_000, value: '7' }] });
    expect((await tb.get(`${T}/${id}/values/timeseries?keys=cpu_percent&startTs=abc&endTs=1`)).body)
      .toMatchObject({ status: 400, errorCode: 31, message: expect.stringContaining("Method parameter 'startTs'") });
    const agg = await tb.api('GET', `${T}/${id}/values/timeseries?keys=cpu_percent&startTs=0&endTs=1&agg=MEDIAN`, tb.token);
    expect(agg.status).toBe(400);
    expect(agg.headers.get('content-type')).toContain('text/plain');
    expect(await agg.text()).toBe('No enum constant org.thingsboard.server.common.data.kv.Aggregation.MEDIAN');
  });

  it('saves time series over REST (all three body forms) with a TIMESERIES_UPDATED audit entry, and bare-text refusals', async () => {
    expect((await tb.send('POST', `${T}/${id}/timeseries/ANY`, { a: 1 })).status).toBe(200);
    expect((await tb.send('POST', `${T}/${id}/timeseries/ANY`, { ts: T0 - 5, values: { b: 'x' } })).status).toBe(200);
    expect((await tb.send('POST', `${T}/${id}/timeseries/ANY/0`, [{ ts: T0 - 9, values: { c: 2.5 } }, { d: false }])).status).toBe(200);
    expect((await tb.get(`${T}/${id}/values/timeseries?keys=a,b,c,d`)).body).toEqual({
      a: [{ ts: T0, value: '1' }], b: [{ ts: T0 - 5, value: 'x' }], c: [{ ts: T0 - 9, value: '2.5' }], d: [{ ts: T0, value: 'false' }],
    });
    const audit = (await tb.get(`/api/audit/logs/entity/DEVICE/${id}?pageSize=10&page=0&actionTypes=TIMESERIES_UPDATED`)).body.data;
    expect(audit[0].actionData).toEqual({ entityId: id, timeseries: [{ ts: T0 - 9, values: { c: '2.5' } }, { ts: T0, values: { d: 'false' } }] });
    expect(await tb.send('POST', `${T}/${id}/timeseries/ANY`, '{oops')).toEqual({ status: 400, body: 'Unable to parse time series payload: Invalid JSON body!' });
    expect(await tb.send('POST', `${T}/${id}/timeseries/ANY`, {})).toEqual({ status: 400, body: 'No time series data found in request body!' });
    expect(await tb.send('POST', `${T}/${id}/timeseries/ANY`, 5)).toEqual({ status: 400, body: "Unable to parse time series payload. Invalid JSON body: Can't parse value: 5" });
  });

  it('deletes time series by range or entirely, refusing empty keys in ThingsBoard\'s words', async () => {
    for (let i = 0; i < 3; i++) tb.emu.postTelemetry('edge-01', { k: i }, T0 - 3000 + i * 1000);
    expect((await tb.send('DELETE', `${T}/${id}/timeseries/delete?keys=k&startTs=${T0 - 3000}&endTs=${T0 - 1000}`)).status).toBe(200);
    expect((await tb.get(`${T}/${id}/values/timeseries?keys=k&startTs=0&endTs=${T0}`)).body).toEqual({ k: [{ ts: T0 - 1000, value: '2' }] });
    expect(await tb.send('DELETE', `${T}/${id}/timeseries/delete?keys=`)).toEqual({ status: 400, body: 'Empty keys: ' });
    expect(await tb.send('DELETE', `${T}/${id}/timeseries/delete?keys=k`)).toEqual({ status: 400, body: "When deleteAllDataForKeys is false, start and end timestamp values shouldn't be empty" });
    expect((await tb.send('DELETE', `${T}/${id}/timeseries/delete?keys=k&deleteAllDataForKeys=true`)).status).toBe(200);
    expect((await tb.get(`${T}/${id}/keys/timeseries`)).body).toEqual([]);
  });

  it('answers unknown devices with the access validator\'s bare-text 404 and bad ids with 400 JSON', async () => {
    const unknown = '6b0a3d10-1f2e-11f0-9a3b-4bd1f0c0a001';
    expect(await tb.get(`${T}/${unknown}/values/timeseries`)).toEqual({ status: 404, body: "Device with requested id wasn't found!" });
    expect((await tb.get(`${T}/zzz/values/timeseries`)).body).toMatchObject({ status: 400, message: 'Invalid UUID string: zzz', errorCode: 31 });
    expect((await tb.get(`/api/plugins/telemetry/GADGET/${id}/values/timeseries`)).body)
      .toMatchObject({ status: 400, message: 'No enum constant org.thingsboard.server.common.data.EntityType.GADGET' });
  });
});

describe('thingsboard emulator: attributes', () => {
  it('saves SERVER and SHARED attributes through the V2, V1 and legacy URLs and reads them per scope and merged', async () => {
    expect((await tb.send('POST', `${T}/${id}/attributes/SHARED_SCOPE`, { targetFw: '2.4.0', retries: 3, cfg: { a: 1 }, skip: null })).status).toBe(200);
    tb.clock.advance(1000);
    expect((await tb.send('POST', `${T}/${id}/SERVER_SCOPE`, { site: 'hall-b' })).status).toBe(200);
    expect((await tb.send('POST', `/api/plugins/telemetry/${id}/SERVER_SCOPE`, { rack: 4 })).status).toBe(200);
    expect((await tb.get(`${T}/${id}/values/attributes/SHARED_SCOPE`)).body).toEqual([
      { lastUpdateTs: T0, key: 'targetFw', value: '2.4.0' }, { lastUpdateTs: T0, key: 'retries', value: 3 }, { lastUpdateTs: T0, key: 'cfg', value: { a: 1 } },
    ]);
    expect((await tb.get(`${T}/${id}/values/attributes?keys=site,targetFw`)).body).toEqual([
      { lastUpdateTs: T0 + 1000, key: 'site', value: 'hall-b' }, { lastUpdateTs: T0, key: 'targetFw', value: '2.4.0' },
    ]);
    expect((await tb.get(`${T}/${id}/keys/attributes/SERVER_SCOPE`)).body).toEqual(['site', 'rack', 'active']);
    const audit = (await tb.get(`/api/audit/logs?pageSize=10&page=0&actionTypes=attributes_updated`)).body.data;
    expect(audit.at(-1)).toMatchObject({ actionType: 'ATTRIBUTES_UPDATED', entityName: 'edge-01', actionData: { entityId: id, scope: 'SHARED_SCOPE', attributes: { targetFw: '2.4.0', retries: '3', cfg: '{"a":1}' } } });
  });

  it('refuses CLIENT_SCOPE, non-objects, empty data and unknown scopes', async () => {
    expect(await tb.send('POST', `${T}/${id}/attributes/CLIENT_SCOPE`, { a: 1 })).toEqual({ status: 400, body: 'Invalid scope: CLIENT_SCOPE' });
    expect(await tb.send('POST', `${T}/${id}/attributes/SERVER_SCOPE`, [1])).toEqual({ status: 400, body: 'Request is not a JSON object' });
    expect(await tb.send('POST', `${T}/${id}/attributes/SERVER_SCOPE`, {})).toEqual({ status: 400, body: 'No attributes data found in request body!' });
    expect((await tb.send('POST', `${T}/${id}/attributes/WIDE_SCOPE`, { a: 1 })).body).toMatchObject({ status: 400, errorCode: 31 });
    expect((await tb.get(`${T}/${id}/values/attributes/WIDE_SCOPE`)).body).toMatchObject({ status: 400, errorCode: 31 });
  });

  it('deletes attributes by keys', async () => {
    await tb.send('POST', `${T}/${id}/attributes/SHARED_SCOPE`, { a: 1, b: 2 });
    expect((await tb.send('DELETE', `${T}/${id}/SHARED_SCOPE?keys=a`)).status).toBe(200);
    expect((await tb.get(`${T}/${id}/values/attributes/SHARED_SCOPE`)).body.map((x: { key: string }) => x.key)).toEqual(['b']);
    expect(await tb.send('DELETE', `${T}/${id}/SHARED_SCOPE?keys=`)).toEqual({ status: 400, body: 'Empty keys: ' });
  });

  it('shows the device-state attributes in SERVER_SCOPE, honouring a per-device inactivityTimeout', async () => {
    const state = async (): Promise<Record<string, unknown>> =>
      Object.fromEntries((await tb.get(`${T}/${id}/values/attributes/SERVER_SCOPE?keys=active,lastActivityTime,inactivityAlarmTime`)).body.map((a: { key: string; value: unknown }) => [a.key, a.value]));
    expect(await state()).toEqual({ active: false });
    tb.emu.reportActivity('edge-01');
    expect(await state()).toEqual({ active: true, lastActivityTime: T0 });
    await tb.send('POST', `${T}/${id}/attributes/SERVER_SCOPE`, { inactivityTimeout: 5000 });
    tb.clock.advance(5000);
    expect(await state()).toEqual({ active: false, lastActivityTime: T0, inactivityAlarmTime: T0 + 5000 });
  });

  it('stores the whole message as SERVER_SCOPE attributes when the CDM chain sees OTA keys', async () => {
    tb.emu.postTelemetry('edge-01', { cpu_percent: 10, ota_status: 'idle' });
    const attrs = (await tb.get(`${T}/${id}/values/attributes/SERVER_SCOPE?keys=ota_status,cpu_percent`)).body;
    expect(attrs).toEqual([{ lastUpdateTs: T0, key: 'ota_status', value: 'idle' }, { lastUpdateTs: T0, key: 'cpu_percent', value: 10 }]);
    const plain = await tb.createDevice('plain-1');
    tb.emu.postTelemetry('plain-1', { ota_status: 'idle' });
    expect((await tb.get(`${T}/${plain}/values/attributes/SERVER_SCOPE?keys=ota_status`)).body).toEqual([]);
    expect(() => tb.emu.postTelemetry('ghost', { a: 1 })).toThrow(/no device named "ghost"/);
  });
});
