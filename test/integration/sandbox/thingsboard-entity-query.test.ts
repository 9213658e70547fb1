// ThingsBoard emulator: the Entity Data Query API (POST /api/entitiesQuery/find) as cdm's device
// views use it — a page of devices with their latest values in one call — and its refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startThingsboard, T0, type TbHarness } from '../../helpers/thingsboard-harness.js';

let tb: TbHarness;
let a: string;
let b: string;
const FIND = '/api/entitiesQuery/find';
const UNKNOWN = '0d1e2f30-4a5b-11ef-8000-000000000000';

beforeEach(async () => {
  tb = await startThingsboard();
  a = await tb.createDevice('edge-a', { type: 'cdm-x509', label: 'Hall A' });
  b = await tb.createDevice('edge-b', { type: 'cdm-x509' });
  await tb.createDevice('edge-c', { type: 'sensor' });
});
afterEach(async () => { await tb.close(); });

const listQuery = (ids: string[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  entityFilter: { type: 'entityList', entityType: 'DEVICE', entityList: ids },
  pageLink: { page: 0, pageSize: ids.length },
  ...extra,
});

describe('thingsboard emulator: entity data query', () => {
  it('answers a list of devices with their latest values as strings (server attributes with the device state\'s), a key without a value as TsValue.EMPTY', async () => {
    tb.emu.postTelemetry('edge-a', { cpu_percent: 42, disk_percent: 12.5, sw_version: '1.0.0', ratio: 3.0 }, T0 - 1000);
    const r = await tb.send('POST', FIND, listQuery([a, b, UNKNOWN], {
      entityFields: [{ type: 'ENTITY_FIELD', key: 'name' }, { type: 'ENTITY_FIELD', key: 'type' }],
      latestValues: [
        { type: 'TIME_SERIES', key: 'cpu_percent' }, { type: 'TIME_SERIES', key: 'disk_percent' }, { type: 'TIME_SERIES', key: 'sw_version' },
        { type: 'TIME_SERIES', key: 'ratio' }, { type: 'SERVER_ATTRIBUTE', key: 'lastActivityTime' }, { type: 'SERVER_ATTRIBUTE', key: 'active' },
        { type: 'SERVER_ATTRIBUTE', key: 'constructor' },
      ],
    }));
    expect(r.status).toBe(200);
    // The unknown id is simply absent; the page envelope counts what matched.
    expect(r.body).toMatchObject({ totalElements: 2, totalPages: 1, hasNext: false });
    const byId = new Map<string, any>(r.body.data.map((e: any) => [e.entityId.id, e]));
    expect(byId.get(a)).toEqual({
      entityId: { entityType: 'DEVICE', id: a },
      latest: {
        ENTITY_FIELD: { name: { ts: T0, value: 'edge-a' }, type: { ts: T0, value: 'cdm-x509' } },
        TIME_SERIES: {
          cpu_percent: { ts: T0 - 1000, value: '42' }, disk_percent: { ts: T0 - 1000, value: '12.5' },
          sw_version: { ts: T0 - 1000, value: '1.0.0' }, ratio: { ts: T0 - 1000, value: '3' },
        },
        // The device state service's attributes: the telemetry arrived at T0 (server time).
        SERVER_ATTRIBUTE: { lastActivityTime: { ts: T0, value: String(T0) }, active: { ts: T0, value: 'true' }, constructor: { ts: 0, value: '' } },
      },
      timeseries: {},
      aggLatest: null,
    });
    const empty = { ts: 0, value: '' };
    expect(byId.get(b).latest.TIME_SERIES).toEqual({ cpu_percent: empty, disk_percent: empty, sw_version: empty, ratio: empty });
    expect(byId.get(b).latest.SERVER_ATTRIBUTE.active).toMatchObject({ value: 'false' });
  });

  it('pages every device sorted by an entity field, with text search', async () => {
    const page = async (n: number, direction: string, textSearch?: string): Promise<any> => (await tb.send('POST', FIND, {
      entityFilter: { type: 'entityType', entityType: 'DEVICE' },
      pageLink: { page: n, pageSize: 2, sortOrder: { key: { type: 'ENTITY_FIELD', key: 'name' }, direction }, ...(textSearch ? { textSearch } : {}) },
      entityFields: [{ type: 'ENTITY_FIELD', key: 'name' }],
    })).body;
    const names = (p: any): string[] => p.data.map((e: any) => e.latest.ENTITY_FIELD.name.value);
    const first = await page(0, 'ASC');
    expect(names(first)).toEqual(['edge-a', 'edge-b']);
    expect(first).toMatchObject({ totalElements: 3, totalPages: 2, hasNext: true });
    expect(names(await page(1, 'ASC'))).toEqual(['edge-c']);
    expect(names(await page(0, 'DESC'))).toEqual(['edge-c', 'edge-b']);
    expect(names(await page(0, 'ASC', 'HALL'))).toEqual(['edge-a']);
  });

  it('refuses a malformed id, a bad page link and what the sandbox does not answer, and needs a token', async () => {
    const bad = await tb.send('POST', FIND, listQuery(['not-a-uuid']));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Invalid UUID string: not-a-uuid');
    expect((await tb.send('POST', FIND, { ...listQuery([a]), pageLink: { page: 0, pageSize: 0 } })).status).toBe(400);
    const filtered = await tb.send('POST', FIND, listQuery([a], { keyFilters: [{ key: { type: 'TIME_SERIES', key: 'cpu_percent' }, valueType: 'NUMERIC', predicate: {} }] }));
    expect(filtered.status).toBe(400);
    expect(filtered.body.message).toMatch(/keyFilters is not supported by the sandbox/);
    expect((await tb.send('POST', FIND, { entityFilter: { type: 'relationsQuery' }, pageLink: { page: 0, pageSize: 10 } })).status).toBe(400);
    expect((await tb.api('POST', FIND, undefined, listQuery([a]))).status).toBe(401);
  });
});
