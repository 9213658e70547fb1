// ThingsBoard emulator: device pages in name order come from a kept order (and lookups by id and
// name from a kept index), and still follow every change: creation, rename (the version bump),
// deletion. Expected orders are computed here as toPage sorts (localeCompare 'en', ties in
// creation order); the store check of the test config verifies the kept order on every use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startThingsboard, type TbHarness } from '../../helpers/thingsboard-harness.js';

let tb: TbHarness;
beforeEach(async () => { tb = await startThingsboard({ activityTimeoutMs: 60_000 }); });
afterEach(async () => { await tb.close(); });

const NAMES = ['pump-2', 'Pump-1', 'valve', 'ébène', 'ebony', '10', '9', 'Z', 'a', 'pump-10'];
const byName = (names: string[], desc = false): string[] => [...names].sort((a, b) => (desc ? b.localeCompare(a, 'en') : a.localeCompare(b, 'en')));

async function all(query: string, pageSize = 3): Promise<{ names: string[]; total: number; pages: number }> {
  const names: string[] = [];
  for (let page = 0; ; page++) {
    const r = await tb.get(`/api/tenant/deviceInfos?pageSize=${pageSize}&page=${page}&${query}`);
    expect(r.status).toBe(200);
    names.push(...r.body.data.map((d: { name: string }) => d.name));
    expect(r.body.totalPages).toBe(Math.ceil(r.body.totalElements / pageSize));
    if (!r.body.hasNext) return { names, total: r.body.totalElements, pages: page + 1 };
  }
}

describe('thingsboard emulator: device paging', () => {
  it('pages by name both ways, by creation without a sort, and filters before paging', async () => {
    const ids = new Map<string, string>();
    for (const name of NAMES) ids.set(name, await tb.createDevice(name, name.toLowerCase().startsWith('pump') ? { type: 'pump' } : {}));
    expect((await all('sortProperty=name&sortOrder=ASC')).names).toEqual(byName(NAMES));
    expect((await all('sortProperty=name&sortOrder=DESC')).names).toEqual(byName(NAMES, true));
    expect((await all('')).names).toEqual(NAMES);
    expect(await all('sortProperty=name&textSearch=PUMP', 2)).toEqual({ names: ['Pump-1', 'pump-10', 'pump-2'], total: 3, pages: 2 });
    expect((await all('sortProperty=name&type=pump')).names).toEqual(['Pump-1', 'pump-10', 'pump-2']);
    expect((await all('sortProperty=createdTime&sortOrder=DESC')).total).toBe(NAMES.length);
    expect((await tb.get('/api/tenant/devices?pageSize=4&page=1&sortProperty=name')).body.data.map((d: { name: string }) => d.name)).toEqual(byName(NAMES).slice(4, 8));

    // Activity decides `active`; only active devices pass active=true.
    tb.emu.reportActivity('valve');
    tb.emu.reportActivity('a');
    expect((await all('sortProperty=name&active=true')).names).toEqual(['a', 'valve']);
    expect((await all('sortProperty=name&active=false')).total).toBe(NAMES.length - 2);

    // A rename moves the device; a deletion removes it; a new device joins.
    const valve = (await tb.get(`/api/device/${ids.get('valve')}`)).body;
    expect((await tb.send('POST', '/api/device', { ...valve, name: 'aardvark' })).status).toBe(200);
    await tb.send('DELETE', `/api/device/${ids.get('Z')}`);
    await tb.createDevice('m');
    const now = NAMES.filter((n) => n !== 'valve' && n !== 'Z').concat('aardvark', 'm');
    expect((await all('sortProperty=name&sortOrder=ASC')).names).toEqual(byName(now));
    expect((await tb.get('/api/tenant/devices?deviceName=aardvark')).body.id.id).toBe(ids.get('valve'));
    expect((await tb.get('/api/tenant/devices?deviceName=valve')).status).toBe(404);
    expect((await tb.get(`/api/device/${ids.get('Z')}`)).status).toBe(404);
    expect((await tb.get(`/api/devices?deviceIds=${ids.get('a')},${ids.get('9')}`)).body.map((d: { name: string }) => d.name).sort()).toEqual(['9', 'a']);
  });
});
