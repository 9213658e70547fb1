// hawkBit emulator: target lists answered from the target index (default order, ids pinned by the
// filter) give exactly what the general path (filter and sort everything) gives. The general path
// is forced with a two-key sort whose second key never decides (createdAt is the same for all).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHawkbit, type Harness } from '../../helpers/hawkbit-harness.js';

let h: Harness;
// Mixed case (ids equal but for case tie), integer-like ids (first in an object's key order).
const IDS = ['dev-2', 'Dev-1', 'DEV-3', 'dev-10', 'a', 'B', '123', '45', 'dev-1', 'zeta', 'Alpha'];

beforeAll(async () => {
  h = await startHawkbit();
  expect((await h.mgmt('POST', '/rest/v1/targets', IDS.map((controllerId) => ({ controllerId })))).status).toBe(201);
  const [tag] = (await h.mgmt('POST', '/rest/v1/targettags', [{ name: 'east' }])).json;
  await h.mgmt('POST', `/rest/v1/targettags/${tag.id}/assigned`, ['dev-2', 'a', 'DEV-3', '45']);
  const [sm] = (await h.mgmt('POST', '/rest/v1/softwaremodules', [{ name: 'os', version: '1', type: 'os' }])).json;
  const [ds] = (await h.mgmt('POST', '/rest/v1/distributionsets', [{ name: 'os', version: '1', type: 'os', modules: [{ id: sm.id }] }])).json;
  await h.mgmt('POST', `/rest/v1/distributionsets/${ds.id}/assignedTargets`, ['dev-1', 'Dev-1', 'zeta', 'B'].map((id) => ({ id })));
});
afterAll(async () => { await h.close(); });

async function ids(path: string, query: string, sort: string | undefined): Promise<{ ids: string[]; total: number; size: number }> {
  const params = new URLSearchParams(query);
  if (sort !== undefined) params.set('sort', sort);
  const r = await h.mgmt('GET', `${path}?${params}`);
  expect(r.status, r.text).toBe(200);
  return { ids: r.json.content.map((t: { controllerId: string }) => t.controllerId), total: r.json.total, size: r.json.size };
}

const QUERIES = [
  '',
  'offset=3&limit=4',
  'offset=20',
  `q=${encodeURIComponent('controllerId=in=(dev-1,DEV-2,b,nope)')}`,
  `q=${encodeURIComponent('id==DEV-1')}`,
  `q=${encodeURIComponent('controllerId==a,controllerId==zeta')}`,
  `q=${encodeURIComponent('(name==dev*);controllerId=in=(dev-10,dev-2,a)')}&limit=1&offset=1`,
  `q=${encodeURIComponent('controllerId==a,name==B')}`,
  `q=${encodeURIComponent('controllerId==dev-*')}`,
];

describe('hawkbit emulator: target paging', () => {
  for (const path of ['/rest/v1/targets', '/rest/v1/targettags/1/assigned', '/rest/v1/distributionsets/1/assignedTargets']) {
    it.each(QUERIES)(`${path}?%s answers as the general path`, async (query) => {
      const general = await ids(path, query, 'controllerId:ASC,createdAt:ASC');
      expect(await ids(path, query, undefined)).toEqual(general);
      expect(await ids(path, query, 'ID:asc')).toEqual(general);
    });
  }

  it('orders case-insensitively with ties in creation order, and follows creation and deletion', async () => {
    expect((await ids('/rest/v1/targets', 'limit=100', undefined)).ids).toEqual(['123', '45', 'a', 'Alpha', 'B', 'Dev-1', 'dev-1', 'dev-10', 'dev-2', 'DEV-3', 'zeta']);
    expect((await ids('/rest/v1/targets', 'limit=100', 'controllerId:DESC')).ids[0]).toBe('zeta');
    expect((await h.mgmt('DELETE', '/rest/v1/targets/dev-10')).status).toBe(204);
    expect((await h.mgmt('POST', '/rest/v1/targets', [{ controllerId: 'dev-0' }])).status).toBe(201);
    const after = await ids('/rest/v1/targets', 'limit=100', undefined);
    expect(after.ids).toEqual(['123', '45', 'a', 'Alpha', 'B', 'dev-0', 'Dev-1', 'dev-1', 'dev-2', 'DEV-3', 'zeta']);
    expect(await ids('/rest/v1/targets', `q=${encodeURIComponent('controllerId=in=(dev-0,dev-10)')}`, undefined)).toEqual({ ids: ['dev-0'], total: 1, size: 1 });
  });

  it('keeps hawkBit\'s refusals: bad sort and bad FIQL are 400', async () => {
    expect((await h.mgmt('GET', '/rest/v1/targets?sort=nosuch:ASC')).status).toBe(400);
    expect((await h.mgmt('GET', `/rest/v1/targets?q=${encodeURIComponent('controllerId=in=(a')}`)).status).toBe(400);
    expect((await h.mgmt('GET', `/rest/v1/targets?q=${encodeURIComponent('nosuch==a')}`)).status).toBe(400);
  });
});
