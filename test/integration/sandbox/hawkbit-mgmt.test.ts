// hawkBit emulator, Management API: auth, error bodies, targets, types, software modules and
// artifacts, distribution sets, assignment, actions, filters, tags, paging/sorting and FIQL.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, createDevices, createRelease, startHawkbit, type Harness } from '../../helpers/hawkbit-harness.js';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});
async function serve(): Promise<Harness> {
  const h = await startHawkbit();
  open.push(h);
  return h;
}

const REPO = 'org.eclipse.hawkbit.repository.exception.';

describe('hawkbit emulator: Management API auth and errors', () => {
  it('answers 401 without a body and with a Basic challenge, before routing', async () => {
    const h = await serve();
    for (const auth of [null, basic('admin', 'wrong'), basic('nobody', 'admin'), 'Bearer x']) {
      const r = await h.mgmt('GET', '/rest/v1/targets', undefined, auth);
      expect(r.status).toBe(401);
      expect(r.text).toBe('');
      expect(r.headers.get('www-authenticate')).toBe('Basic realm="hawkBit"');
    }
    expect((await h.mgmt('GET', '/rest/v1/nothing-here', undefined, null)).status).toBe(401);
    const missing = await h.mgmt('GET', '/rest/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ status: 404, error: 'Not Found', path: '/rest/v1/nothing-here' });
    expect((await h.mgmt('PATCH', '/rest/v1/targets')).status).toBe(405);
    const me = await h.mgmt('GET', '/rest/v1/userinfo');
    expect(me.json).toEqual({ tenant: 'DEFAULT', username: 'admin' });
  });

  it('refuses unreadable bodies with notReadable and non-numeric ids with Spring 400', async () => {
    const h = await serve();
    for (const body of ['{not json', '{"controllerId":"x"}', '[{"name":"no-id"}]', '[{"controllerId":{"a":1}}]', '']) {
      const r = await h.mgmt('POST', '/rest/v1/targets', body);
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        exceptionClass: 'org.eclipse.hawkbit.rest.exception.MessageNotReadableException',
        errorCode: 'hawkbit.server.error.rest.body.notReadable', message: 'The given request body is not well formed',
      });
    }
    const r = await h.mgmt('GET', '/rest/v1/distributionsets/abc');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ status: 400, error: 'Bad Request' });
  });
});

describe('hawkbit emulator: targets', () => {
  it('creates as an array (201), refuses duplicates (409), reads, updates and deletes', async () => {
    const h = await serve();
    const created = await h.mgmt('POST', '/rest/v1/targets', [{ controllerId: 'dev-1', description: 'bench' }, { controllerId: 'dev-2', name: 'Second', securityToken: 'tok-2' }]);
    expect(created.status).toBe(201);
    expect(created.json).toHaveLength(2);
    expect(created.json[0]).toMatchObject({ controllerId: 'dev-1', name: 'dev-1', description: 'bench', updateStatus: 'unknown', requestAttributes: true, createdBy: 'admin' });
    expect(created.json[0].securityToken).toMatch(/^[0-9a-f]{32}$/);
    expect(created.json[1]).toMatchObject({ name: 'Second', securityToken: 'tok-2' });
    expect(created.json[0]._links.self.href).toBe(`${h.url}/rest/v1/targets/dev-1`);

    const dup = await h.mgmt('POST', '/rest/v1/targets', [{ controllerId: 'dev-3' }, { controllerId: 'dev-1' }]);
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({
      exceptionClass: `${REPO}EntityAlreadyExistsException`, errorCode: 'hawkbit.server.error.repo.entityAlreadyExists',
      message: 'The given entity already exists in database',
    });
    expect((await h.mgmt('GET', '/rest/v1/targets/dev-3')).status).toBe(404); // nothing of the refused request was kept
    expect((await h.mgmt('POST', '/rest/v1/targets', [{ controllerId: 'x' }, { controllerId: 'x' }])).status).toBe(409);

    const got = await h.mgmt('GET', '/rest/v1/targets/dev-1');
    expect(got.status).toBe(200);
    expect(Object.keys(got.json._links)).toEqual(expect.arrayContaining(['self', 'assignedDS', 'installedDS', 'attributes', 'actions']));
    const put = await h.mgmt('PUT', '/rest/v1/targets/dev-1', { name: 'Renamed', address: 'http://10.1.2.3' });
    expect(put.json).toMatchObject({ name: 'Renamed', address: 'http://10.1.2.3', ipAddress: '10.1.2.3' });
    expect((await h.mgmt('PUT', '/rest/v1/targets/dev-1', { requestAttributes: false })).json.errorCode).toBe('hawkbit.server.error.repo.constraintViolation');
    expect((await h.mgmt('GET', '/rest/v1/targets/dev-1/attributes')).status).toBe(204);
    expect((await h.mgmt('GET', '/rest/v1/targets/dev-1/assignedDS')).status).toBe(204);
    expect((await h.mgmt('GET', '/rest/v1/targets/dev-1/installedDS')).status).toBe(204);

    expect((await h.mgmt('DELETE', '/rest/v1/targets/dev-1')).status).toBe(204);
    const gone = await h.mgmt('GET', '/rest/v1/targets/dev-1');
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({
      exceptionClass: `${REPO}EntityNotFoundException`, errorCode: 'hawkbit.server.error.repo.entityNotFound',
      message: 'Target with given identifier {dev-1} does not exist.', info: { type: 'Target', entityId: 'dev-1' },
    });
    expect((await h.mgmt('DELETE', '/rest/v1/targets/dev-1')).status).toBe(404);
    expect((await h.mgmt('PUT', '/rest/v1/targets/nope', {})).status).toBe(404);
  });

  it('pages with offset/limit/sort and refuses bad sort parameters', async () => {
    const h = await serve();
    await createDevices(h, Array.from({ length: 12 }, (_, i) => `p-${String(i).padStart(2, '0')}`));
    const page = await h.mgmt('GET', '/rest/v1/targets?offset=10&limit=5');
    expect(page.json).toMatchObject({ total: 12, size: 2 });
    expect(page.json.content.map((t: any) => t.controllerId)).toEqual(['p-10', 'p-11']);
    const desc = await h.mgmt('GET', '/rest/v1/targets?limit=3&sort=controllerId:DESC');
    expect(desc.json.content.map((t: any) => t.controllerId)).toEqual(['p-11', 'p-10', 'p-09']);
    expect((await h.mgmt('GET', '/rest/v1/targets?limit=0')).json.size).toBe(12);
    expect((await h.mgmt('GET', '/rest/v1/targets?limit=100000&offset=-4')).json.size).toBe(12);
    const cases: Array<[string, string]> = [
      ['controllerId', 'hawkbit.server.error.rest.param.sortParamSyntax'],
      ['nosuch:ASC', 'hawkbit.server.error.rest.param.invalidField'],
      ['name:UP', 'hawkbit.server.error.rest.param.invalidDirection'],
    ];
    for (const [sort, code] of cases) {
      const r = await h.mgmt('GET', `/rest/v1/targets?sort=${sort}`);
      expect(r.status).toBe(400);
      expect(r.json.errorCode).toBe(code);
    }
  });

  it('filters targets with FIQL over the documented fields and refuses bad queries', async () => {
    const h = await serve();
    const devices = await createDevices(h, ['dev-a', 'dev-b', 'lab-c', 'lab-d']);
    await h.mgmt('PUT', '/rest/v1/targets/dev-a', { address: 'http://10.0.0.7', name: 'Alpha' });
    await devices[1]!.call('PUT', '/configData', { data: { site: 'berlin', hw: 'rev2' } });
    await devices[2]!.call('PUT', '/configData', { data: { site: 'lab' } });
    const tag = await h.mgmt('POST', '/rest/v1/targettags', [{ name: 'field' }]);
    expect(tag.status).toBe(201);
    expect((await h.mgmt('POST', `/rest/v1/targettags/${tag.json[0].id}/assigned`, ['dev-a', 'lab-d'])).status).toBe(204);
    const { dsId } = await createRelease(h, '1.0.0');
    await h.mgmt('POST', `/rest/v1/distributionsets/${dsId}/assignedTargets`, [{ id: 'lab-c' }]);
    await devices[2]!.install('success');
    h.clock.now += 60_000;
    await devices[3]!.poll();

    const ids = async (q: string): Promise<string[]> => {
      const r = await h.mgmt('GET', `/rest/v1/targets?q=${encodeURIComponent(q)}`);
      expect(r.status, `${q}: ${r.text}`).toBe(200);
      return r.json.content.map((t: any) => t.controllerId);
    };
    expect(await ids('controllerId==dev-*')).toEqual(['dev-a', 'dev-b']);
    expect(await ids('name==alpha')).toEqual(['dev-a']);
    expect(await ids('controllerId!=dev-*')).toEqual(['lab-c', 'lab-d']);
    expect(await ids('updateStatus==IN_SYNC')).toEqual(['lab-c']);
    expect(await ids('updatestatus=in=(registered,in_sync)')).toEqual(['lab-c', 'lab-d']);
    expect(await ids('updateStatus=out=(unknown)')).toEqual(['lab-c', 'lab-d']);
    expect(await ids('attribute.site==berlin')).toEqual(['dev-b']);
    expect(await ids('attribute.site==*')).toEqual(['dev-b', 'lab-c']);
    expect(await ids('tag==field')).toEqual(['dev-a', 'lab-d']);
    expect(await ids('installedds.name==cdm-release;installedds.version==1.0.0')).toEqual(['lab-c']);
    expect(await ids('assignedDS.version==1.0.0')).toEqual(['lab-c']);
    expect(await ids('ipAddress==10.0.0.7')).toEqual(['dev-a']);
    expect(await ids(`lastControllerRequestAt=gt=${h.clock.now - 1}`)).toEqual(['lab-d']);
    expect(await ids(`lastControllerRequestAt=le=${h.clock.now - 1}`)).toEqual(['lab-c']); // configData alone is no poll
    expect(await ids('(tag==field,attribute.site==lab);controllerId==lab-*')).toEqual(['lab-c', 'lab-d']);
    expect(await ids('controllerId==dev-a or controllerId==lab-d and tag==field')).toEqual(['dev-a', 'lab-d']);
    expect(await ids('name=li=dev-_')).toEqual(['dev-b']);

    for (const q of ['controllerId==', 'controllerId=foo=x', '(name==a', 'name==a;', 'name=in=a']) {
      const r = await h.mgmt('GET', `/rest/v1/targets?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(400);
      expect(r.json).toMatchObject({ exceptionClass: `${REPO}RSQLParameterSyntaxException`, errorCode: 'hawkbit.server.error.rest.param.rsqlParamSyntax' });
    }
    const field = await h.mgmt('GET', `/rest/v1/targets?q=${encodeURIComponent('colour==red')}`);
    expect(field.status).toBe(400);
    expect(field.json).toMatchObject({ exceptionClass: `${REPO}RSQLParameterUnsupportedFieldException`, errorCode: 'hawkbit.server.error.rest.param.rsqlInvalidField' });
  });
});

describe('hawkbit emulator: types, modules, artifacts, distribution sets', () => {
  it('seeds the tenant default types and creates new ones', async () => {
    const h = await serve();
    const sm = await h.mgmt('GET', '/rest/v1/softwaremoduletypes');
    expect(sm.json.content.map((t: any) => [t.key, t.name, t.maxAssignments])).toEqual([['application', 'Application', 2147483647], ['os', 'OS', 1]]);
    const ds = await h.mgmt('GET', '/rest/v1/distributionsettypes?sort=key:ASC');
    expect(ds.json.content.map((t: any) => [t.key, t.name])).toEqual([['app', 'App(s) only'], ['os', 'OS only'], ['os_app', 'OS with app(s)']]);
    const osApp = ds.json.content[2];
    const mandatory = await h.mgmt('GET', `/rest/v1/distributionsettypes/${osApp.id}/mandatorymoduletypes`);
    expect(mandatory.json.map((t: any) => t.key)).toEqual(['os']);
    const optional = await h.mgmt('GET', `/rest/v1/distributionsettypes/${osApp.id}/optionalmoduletypes`);
    expect(optional.json.map((t: any) => t.key)).toEqual(['application']);

    const created = await h.mgmt('POST', '/rest/v1/softwaremoduletypes', [{ key: 'config', name: 'Config', maxAssignments: 3 }]);
    expect(created.status).toBe(201);
    expect(created.json[0]).toMatchObject({ key: 'config', name: 'Config', maxAssignments: 3, deleted: false });
    expect((await h.mgmt('POST', '/rest/v1/softwaremoduletypes', [{ key: 'config', name: 'Other' }])).status).toBe(409);
    expect((await h.mgmt('GET', `/rest/v1/softwaremoduletypes/${created.json[0].id}`)).json.key).toBe('config');
    expect((await h.mgmt('GET', '/rest/v1/softwaremoduletypes/999')).status).toBe(404);
    const dsType = await h.mgmt('POST', '/rest/v1/distributionsettypes', [{ key: 'cfg', name: 'Config only', mandatorymodules: [{ id: created.json[0].id }] }]);
    expect(dsType.status).toBe(201);
    expect((await h.mgmt('GET', `/rest/v1/distributionsettypes/${dsType.json[0].id}/mandatorymoduletypes`)).json.map((t: any) => t.key)).toEqual(['config']);
    expect((await h.mgmt('POST', '/rest/v1/distributionsettypes', [{ key: 'x', name: 'X', mandatorymodules: [{ id: 999 }] }])).status).toBe(404);
    expect((await h.mgmt('GET', '/rest/v1/distributionsettypes/999')).status).toBe(404);
  });

  it('uploads artifacts with computed hashes, refuses checksum mismatches, downloads with ranges', async () => {
    const h = await serve();
    const sm = await h.mgmt('POST', '/rest/v1/softwaremodules', [{ name: 'cdm-os', version: '1.1.0', type: 'os', vendor: 'CDM' }]);
    expect(sm.status).toBe(201);
    expect(sm.json[0]).toMatchObject({ name: 'cdm-os', version: '1.1.0', type: 'os', typeName: 'OS', vendor: 'CDM', locked: false, deleted: false });
    expect((await h.mgmt('POST', '/rest/v1/softwaremodules', [{ name: 'cdm-os', version: '1.1.0', type: 'os' }])).status).toBe(409);
    const unknownType = await h.mgmt('POST', '/rest/v1/softwaremodules', [{ name: 'x', version: '1', type: 'firmware' }]);
    expect(unknownType.status).toBe(404);
    expect(unknownType.json.info).toEqual({ type: 'SoftwareModuleType', entityId: 'firmware' });
    const smId = sm.json[0].id;
    const data = Buffer.from('rauc bundle bytes 0123456789');
    const hash = (alg: string): string => createHash(alg).update(data).digest('hex');
    const upload = (fields: Record<string, string>, query = '', file: Buffer | null = data): Promise<any> => {
      const form = new FormData();
      if (file) form.append('file', new Blob([new Uint8Array(file)]), 'bundle.raucb');
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      return h.raw('POST', `/rest/v1/softwaremodules/${smId}/artifacts${query}`, { body: form, headers: { authorization: basic('admin', 'admin') } });
    };
    for (const alg of ['md5', 'sha1', 'sha256']) {
      const r = await upload({ [`${alg}sum`]: '0'.repeat(hash(alg).length) });
      expect(r.status).toBe(400);
      expect(r.json.errorCode).toBe(`hawkbit.server.error.artifact.uploadFailed.checksum.${alg}.match`);
    }
    expect((await upload({}, '', null)).status).toBe(400);
    expect((await upload({}, '', Buffer.alloc(0))).status).toBe(400);
    const noForm = await h.mgmt('POST', `/rest/v1/softwaremodules/${smId}/artifacts`, { file: 'x' });
    expect(noForm.status).toBe(400);

    const ok = await upload({ filename: 'cdm-os-1.1.0.raucb', md5sum: hash('md5'), sha1sum: hash('sha1').toUpperCase() }, `?sha256sum=${hash('sha256')}`);
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ providedFilename: 'cdm-os-1.1.0.raucb', size: data.length, hashes: { md5: hash('md5'), sha1: hash('sha1'), sha256: hash('sha256') } });
    expect(ok.json._links.download.href).toBe(`${h.url}/rest/v1/softwaremodules/${smId}/artifacts/${ok.json.id}/download`);
    expect((await upload({ filename: 'cdm-os-1.1.0.raucb' })).status).toBe(409);

    const list = await h.mgmt('GET', `/rest/v1/softwaremodules/${smId}/artifacts`);
    expect(list.json.map((a: any) => a.providedFilename)).toEqual(['cdm-os-1.1.0.raucb']);
    const dl = await h.mgmt('GET', `/rest/v1/softwaremodules/${smId}/artifacts/${ok.json.id}/download`);
    expect(dl.status).toBe(200);
    expect(dl.text).toBe(data.toString());
    expect(dl.headers.get('etag')).toBe(hash('sha1'));
    const part = await h.raw('GET', `/rest/v1/softwaremodules/${smId}/artifacts/${ok.json.id}/download`, { headers: { authorization: basic('admin', 'admin'), range: 'bytes=5-10' } });
    expect(part.status).toBe(206);
    expect(part.text).toBe(data.subarray(5, 11).toString());
    expect(part.headers.get('content-range')).toBe(`bytes 5-10/${data.length}`);
    expect((await h.mgmt('DELETE', `/rest/v1/softwaremodules/${smId}/artifacts/${ok.json.id}`)).status).toBe(204);
    expect((await h.mgmt('GET', `/rest/v1/softwaremodules/${smId}/artifacts/${ok.json.id}`)).status).toBe(404);
    expect((await h.mgmt('GET', '/rest/v1/softwaremodules/999/artifacts')).status).toBe(404);
    expect((await h.mgmt('DELETE', `/rest/v1/softwaremodules/${smId}`)).status).toBe(204);
    expect((await h.mgmt('GET', `/rest/v1/softwaremodules/${smId}`)).status).toBe(404);
  });

  it('creates distribution sets with modules and refuses wrong module types, duplicates and incomplete sets', async () => {
    const h = await serve();
    const sm = await h.mgmt('POST', '/rest/v1/softwaremodules', [{ name: 'os', version: '1', type: 'os' }, { name: 'app', version: '1', type: 'application' }]);
    const [os, app] = sm.json.map((m: any) => m.id);
    const ds = await h.mgmt('POST', '/rest/v1/distributionsets', [{ name: 'rel', version: '1', type: 'os', modules: [{ id: os }] }, { name: 'rel', version: '2' }]);
    expect(ds.status).toBe(201);
    expect(ds.json[0]).toMatchObject({ type: 'os', typeName: 'OS only', complete: true, valid: true, locked: false, deleted: false });
    expect(ds.json[0].modules.map((m: any) => m.id)).toEqual([os]);
    expect(ds.json[1]).toMatchObject({ type: 'os_app', complete: false, modules: [] });
    const wrong = await h.mgmt('POST', '/rest/v1/distributionsets', [{ name: 'bad', version: '1', type: 'os', modules: [{ id: app }] }]);
    expect(wrong.status).toBe(400);
    expect(wrong.json.errorCode).toBe('hawkbit.server.error.distributionset.modules.unsupported');
    expect((await h.mgmt('POST', '/rest/v1/distributionsets', [{ name: 'rel', version: '1' }])).status).toBe(409);
    expect((await h.mgmt('POST', '/rest/v1/distributionsets', [{ name: 'x', version: '1', modules: [{ id: 999 }] }])).status).toBe(404);

    await createDevices(h, ['d-1']);
    const incomplete = await h.mgmt('POST', `/rest/v1/distributionsets/${ds.json[1].id}/assignedTargets`, [{ id: 'd-1' }]);
    expect(incomplete.status).toBe(400);
    expect(incomplete.json.errorCode).toBe('hawkbit.server.error.distributionset.incomplete');
    expect((await h.mgmt('POST', `/rest/v1/distributionsets/${ds.json[1].id}/assignedSM`, [{ id: os }, { id: app }])).status).toBe(204);
    const assignedSm = await h.mgmt('GET', `/rest/v1/distributionsets/${ds.json[1].id}/assignedSM`);
    expect(assignedSm.json).toMatchObject({ total: 2, size: 2 });
    expect((await h.mgmt('GET', `/rest/v1/distributionsets/${ds.json[1].id}`)).json.complete).toBe(true);
    const byQuery = await h.mgmt('GET', `/rest/v1/distributionsets?q=${encodeURIComponent('name==rel;version==2')}`);
    expect(byQuery.json.content.map((d: any) => d.version)).toEqual(['2']);
    const modules = await h.mgmt('GET', `/rest/v1/softwaremodules?q=${encodeURIComponent('type==application,version==9')}`);
    expect(modules.json.content.map((m: any) => m.name)).toEqual(['app']);
    expect((await h.mgmt('GET', '/rest/v1/distributionsets/999')).status).toBe(404);
  });
});

describe('hawkbit emulator: implicit lock', () => {
  it('locks a set and its modules at its first assignment, rollout or auto-assignment; a locked module takes no artifact (423)', async () => {
    const h = await serve();
    await createDevices(h, ['l-1']);
    const locked = async (dsId: number, smId: number): Promise<[boolean, boolean]> => [
      (await h.mgmt('GET', `/rest/v1/distributionsets/${dsId}`)).json.locked, (await h.mgmt('GET', `/rest/v1/softwaremodules/${smId}`)).json.locked,
    ];
    const byTarget = await createRelease(h, '1.0.0');
    expect(await locked(byTarget.dsId, byTarget.smId)).toEqual([false, false]);
    await h.mgmt('POST', '/rest/v1/targets/l-1/assignedDS', { id: byTarget.dsId });
    expect(await locked(byTarget.dsId, byTarget.smId)).toEqual([true, true]);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('late')]), 'late.raucb');
    const late = await h.raw('POST', `/rest/v1/softwaremodules/${byTarget.smId}/artifacts`, { body: form, headers: { authorization: basic('admin', 'admin') } });
    expect(late.status).toBe(423);

    const byRollout = await createRelease(h, '2.0.0');
    expect((await h.mgmt('POST', '/rest/v1/rollouts', { name: 'lock', distributionSetId: byRollout.dsId, targetFilterQuery: 'name==*' })).status).toBe(201);
    expect(await locked(byRollout.dsId, byRollout.smId)).toEqual([true, true]);

    const byFilter = await createRelease(h, '3.0.0');
    const filter = await h.mgmt('POST', '/rest/v1/targetfilters', { name: 'all', query: 'name==*' });
    expect((await h.mgmt('POST', `/rest/v1/targetfilters/${filter.json.id}/autoAssignDS`, { id: byFilter.dsId })).status).toBe(200);
    expect(await locked(byFilter.dsId, byFilter.smId)).toEqual([true, true]);
  });
});

describe('hawkbit emulator: assignment and actions', () => {
  it('assigns, counts already-assigned, lists actions and their history, cancels and force-quits', async () => {
    const h = await serve();
    await createDevices(h, ['a-1', 'a-2']);
    const { dsId } = await createRelease(h, '2.0.0');
    const first = await h.mgmt('POST', `/rest/v1/distributionsets/${dsId}/assignedTargets`, [{ id: 'a-1', type: 'soft' }, { id: 'a-2', type: 'timeforced', forcetime: h.clock.now + 3_600_000 }]);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ assigned: 2, alreadyAssigned: 0, total: 2 });
    const actionId = first.json.assignedActions[0].id;
    expect(first.json.assignedActions[0]._links.self.href).toBe(`${h.url}/rest/v1/targets/a-1/actions/${actionId}`);
    const again = await h.mgmt('POST', '/rest/v1/targets/a-1/assignedDS', { id: dsId, type: 'forced' });
    expect(again.json).toMatchObject({ assigned: 0, alreadyAssigned: 1, total: 1, assignedActions: [] });
    expect((await h.mgmt('POST', `/rest/v1/distributionsets/${dsId}/assignedTargets`, [{ id: 'ghost' }])).status).toBe(404);
    expect((await h.mgmt('POST', `/rest/v1/distributionsets/${dsId}/assignedTargets`, [{ id: 'a-1', type: 'sometimes' }])).status).toBe(400);

    expect((await h.mgmt('GET', '/rest/v1/targets/a-1')).json.updateStatus).toBe('pending');
    expect((await h.mgmt('GET', '/rest/v1/targets/a-1/assignedDS')).json).toMatchObject({ id: dsId, locked: true });
    const assigned = await h.mgmt('GET', `/rest/v1/distributionsets/${dsId}/assignedTargets`);
    expect(assigned.json.content.map((t: any) => t.controllerId)).toEqual(['a-1', 'a-2']);
    const actions = await h.mgmt('GET', '/rest/v1/targets/a-2/actions');
    expect(actions.json.content[0]).toMatchObject({ type: 'update', active: true, status: 'running', forceType: 'timeforced', forceTime: h.clock.now + 3_600_000 });
    const one = await h.mgmt('GET', `/rest/v1/targets/a-1/actions/${actionId}`);
    expect(one.json).toMatchObject({ id: actionId, forceType: 'soft', status: 'running' });
    expect(Object.keys(one.json._links)).toEqual(expect.arrayContaining(['self', 'target', 'distributionset', 'status']));
    // The target link is named after the target's (display) name, as MgmtTargetMapper does; its href carries the controllerId.
    await h.mgmt('PUT', '/rest/v1/targets/a-1', { name: 'Pump in hall 2' });
    const renamed = await h.mgmt('GET', `/rest/v1/targets/a-1/actions/${actionId}`);
    expect(renamed.json._links.target).toEqual({ href: `${h.url}/rest/v1/targets/a-1`, name: 'Pump in hall 2' });
    expect((await h.mgmt('GET', `/rest/v1/targets/a-2/actions/${actionId}`)).status).toBe(404);
    const forced = await h.mgmt('PUT', `/rest/v1/targets/a-1/actions/${actionId}`, { forceType: 'forced' });
    expect(forced.json.forceType).toBe('forced');
    expect((await h.mgmt('PUT', `/rest/v1/targets/a-1/actions/${actionId}`, { forceType: 'soft' })).status).toBe(400);

    const notQuitable = await h.mgmt('DELETE', `/rest/v1/targets/a-1/actions/${actionId}?force=true`);
    expect(notQuitable.status).toBe(405);
    expect(notQuitable.json.errorCode).toBe('hawkbit.server.error.action.notForceQuitable');
    expect((await h.mgmt('DELETE', `/rest/v1/targets/a-1/actions/${actionId}`)).status).toBe(204);
    const canceling = await h.mgmt('GET', `/rest/v1/targets/a-1/actions/${actionId}`);
    expect(canceling.json).toMatchObject({ type: 'cancel', status: 'canceling', active: true });
    const twice = await h.mgmt('DELETE', `/rest/v1/targets/a-1/actions/${actionId}`);
    expect(twice.status).toBe(405);
    expect(twice.json.errorCode).toBe('hawkbit.server.error.action.notCancelable');
    expect((await h.mgmt('DELETE', `/rest/v1/targets/a-1/actions/${actionId}?force=true`)).status).toBe(204);
    const canceled = await h.mgmt('GET', `/rest/v1/targets/a-1/actions/${actionId}`);
    expect(canceled.json).toMatchObject({ status: 'canceled', active: false });
    expect((await h.mgmt('GET', '/rest/v1/targets/a-1')).json.updateStatus).toBe('in_sync');
    const history = await h.mgmt('GET', `/rest/v1/targets/a-1/actions/${actionId}/status`);
    expect(history.json.content.map((s: any) => s.type)).toEqual(['canceled', 'canceling', 'running']);
    expect(history.json.content[0]).toHaveProperty('reportedAt');

    const all = await h.mgmt('GET', `/rest/v1/actions?q=${encodeURIComponent('status==canceled')}`);
    expect(all.json.content.map((a: any) => a.id)).toEqual([actionId]);
    expect((await h.mgmt('GET', '/rest/v1/actions?q=active==true')).json.total).toBe(1);
    expect((await h.mgmt('GET', `/rest/v1/actions/${actionId}`)).json.id).toBe(actionId);
    expect((await h.mgmt('GET', '/rest/v1/actions/4242')).status).toBe(404);
  });

  it('keeps target filters with validated queries and runs their auto assignment with the scheduler', async () => {
    const h = await serve();
    await createDevices(h, ['f-1', 'f-2', 'g-1']);
    const bad = await h.mgmt('POST', '/rest/v1/targetfilters', { name: 'broken', query: 'name==(' });
    expect(bad.status).toBe(400);
    const f = await h.mgmt('POST', '/rest/v1/targetfilters', { name: 'f-all', query: 'controllerId==f-*' });
    expect(f.status).toBe(201);
    expect((await h.mgmt('POST', '/rest/v1/targetfilters', { name: 'f-all', query: 'name==x' })).status).toBe(409);
    expect((await h.mgmt('PUT', `/rest/v1/targetfilters/${f.json.id}`, { query: 'controllerId==f-1' })).json.query).toBe('controllerId==f-1');
    expect((await h.mgmt('GET', `/rest/v1/targetfilters?q=${encodeURIComponent('name==f-*')}`)).json.total).toBe(1);
    const { dsId } = await createRelease(h, '5.0.0');
    expect((await h.mgmt('POST', `/rest/v1/targetfilters/${f.json.id}/autoAssignDS`, { id: dsId, type: 'soft' })).json).toMatchObject({ autoAssignDistributionSet: dsId, autoAssignActionType: 'soft' });
    h.emu.runScheduler();
    expect((await h.mgmt('GET', '/rest/v1/targets/f-1/assignedDS')).json.id).toBe(dsId);
    expect((await h.mgmt('GET', '/rest/v1/targets/f-2/assignedDS')).status).toBe(204);
    expect((await h.mgmt('DELETE', `/rest/v1/targetfilters/${f.json.id}`)).status).toBe(204);
    expect((await h.mgmt('GET', `/rest/v1/targetfilters/${f.json.id}`)).status).toBe(404);
  });
});
