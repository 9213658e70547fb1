// hawkBit emulator, DDI: target/gateway token auth, base poll links, deploymentBase per action
// type and maintenance window, artifact and MD5SUM downloads, feedback transitions and 410 Gone,
// cancelAction and its feedback, configData, installedBase.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevices, createRelease, Device, startHawkbit, type Harness } from '../../helpers/hawkbit-harness.js';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});
async function serve(): Promise<Harness> {
  const h = await startHawkbit();
  open.push(h);
  return h;
}
const assignTo = async (h: Harness, dsId: number, body: Record<string, unknown>): Promise<number> => {
  const r = await h.mgmt('POST', `/rest/v1/distributionsets/${dsId}/assignedTargets`, [body]);
  expect(r.status).toBe(200);
  return r.json.assignedActions[0].id as number;
};

describe('hawkbit emulator: DDI auth', () => {
  it('accepts only the target token of the polled target, and a gateway token once enabled', async () => {
    const h = await serve();
    const [dev] = await createDevices(h, ['ddi-1']);
    const [other] = await createDevices(h, ['ddi-2']);
    expect((await dev!.poll()).status).toBe(200);
    const attempts: Array<[string, Record<string, string>]> = [
      ['/DEFAULT/controller/v1/ddi-1', {}],
      ['/DEFAULT/controller/v1/ddi-1', { authorization: 'TargetToken wrong' }],
      ['/DEFAULT/controller/v1/ddi-1', { authorization: `TargetToken ${other!.token}` }],
      ['/OTHER/controller/v1/ddi-1', { authorization: `TargetToken ${dev!.token}` }],
      ['/DEFAULT/controller/v1/unknown', { authorization: `TargetToken ${dev!.token}` }],
      ['/DEFAULT/controller/v1/ddi-1', { authorization: 'GatewayToken secret' }],
    ];
    for (const [path, headers] of attempts) {
      const r = await h.raw('GET', path, { headers });
      expect(r.status, path).toBe(401);
      expect(r.text).toBe('');
    }
    expect((await h.raw('GET', '/default/controller/v1/ddi-1', { headers: { authorization: `TargetToken ${dev!.token}` } })).status).toBe(200);

    expect((await h.mgmt('PUT', '/rest/v1/system/configs/authentication.gatewaytoken.key', { value: 'secret' })).status).toBe(200);
    expect((await h.mgmt('PUT', '/rest/v1/system/configs/authentication.gatewaytoken.enabled', { value: true })).json).toMatchObject({ value: true, global: false });
    expect((await h.mgmt('PUT', '/rest/v1/system/configs/authentication.gatewaytoken.enabled', { value: 'yes' })).json.errorCode).toBe('hawkbit.server.error.configValueInvalid');
    expect((await h.mgmt('GET', '/rest/v1/system/configs/no.such.key')).json.errorCode).toBe('hawkbit.server.error.configKeyInvalid');
    const gw = await h.raw('GET', '/DEFAULT/controller/v1/plug-1', { headers: { authorization: 'GatewayToken secret' } });
    expect(gw.status).toBe(200);
    const registered = await h.mgmt('GET', '/rest/v1/targets/plug-1');
    expect(registered.json).toMatchObject({ controllerId: 'plug-1', updateStatus: 'registered', createdBy: 'CONTROLLER_PLUG_AND_PLAY' });

    // The shipped default: target tokens off → every DDI call is refused.
    expect((await h.mgmt('DELETE', '/rest/v1/system/configs/authentication.targettoken.enabled')).status).toBe(204);
    expect((await dev!.poll()).status).toBe(401);
  });
});

describe('hawkbit emulator: DDI deployment', () => {
  it('polls, serves the deployment with artifacts, records feedback and answers 410 once closed', async () => {
    const h = await serve();
    const [dev] = await createDevices(h, ['node-1']);
    const { dsId, smId } = await createRelease(h, '1.2.0');

    const first = await dev!.poll();
    expect(first.json).toEqual({ config: { polling: { sleep: '00:01:00' } }, _links: { configData: { href: `${h.url}/DEFAULT/controller/v1/node-1/configData` } } });
    expect((await h.mgmt('GET', '/rest/v1/targets/node-1')).json).toMatchObject({ updateStatus: 'registered', lastControllerRequestAt: h.clock.now, ipAddress: '127.0.0.1' });

    const actionId = await assignTo(h, dsId, { id: 'node-1', type: 'soft' });
    const poll = await dev!.poll();
    expect(poll.json._links.deploymentBase.href).toMatch(new RegExp(`/DEFAULT/controller/v1/node-1/deploymentBase/${actionId}\\?c=-?\\d+$`));
    const base = await dev!.call('GET', `/deploymentBase/${actionId}?actionHistory=5`);
    expect(base.status).toBe(200);
    const artifact = base.json.deployment.chunks[0].artifacts[0];
    expect(base.json).toMatchObject({ id: String(actionId), deployment: { download: 'attempt', update: 'attempt', chunks: [{ part: 'os', name: 'cdm-os', version: '1.2.0' }] } });
    expect(base.json.deployment).not.toHaveProperty('maintenanceWindow');
    expect(base.json.actionHistory.status).toBe('RUNNING');
    const content = Buffer.from('image 1.2.0');
    expect(artifact).toMatchObject({ filename: 'cdm-os-1.2.0.raucb', size: content.length, hashes: { md5: createHash('md5').update(content).digest('hex') } });
    const path = `/DEFAULT/controller/v1/node-1/softwaremodules/${smId}/artifacts/cdm-os-1.2.0.raucb`;
    expect(artifact._links).toEqual({ 'download-http': { href: `${h.url}${path}` }, 'md5sum-http': { href: `${h.url}${path}.MD5SUM` } });
    const dl = await dev!.call('GET', `/softwaremodules/${smId}/artifacts/cdm-os-1.2.0.raucb`);
    expect(dl.text).toBe('image 1.2.0');
    const md5 = await dev!.call('GET', `/softwaremodules/${smId}/artifacts/cdm-os-1.2.0.raucb.MD5SUM`);
    expect(md5.text).toBe(`${artifact.hashes.md5}  cdm-os-1.2.0.raucb`);
    expect((await dev!.call('GET', `/softwaremodules/${smId}/artifacts/other.bin`)).status).toBe(404);
    expect((await dev!.call('GET', `/softwaremodules/${smId}/artifacts`)).json[0].filename).toBe('cdm-os-1.2.0.raucb');
    const retrieved = await h.mgmt('GET', `/rest/v1/targets/node-1/actions/${actionId}`);
    expect(retrieved.json.status).toBe('retrieved');

    expect((await dev!.feedback(actionId, 'proceeding', 'none', { details: ['downloading'], code: 7 })).status).toBe(200);
    const running = await h.mgmt('GET', `/rest/v1/targets/node-1/actions/${actionId}`);
    expect(running.json).toMatchObject({ status: 'running', lastStatusCode: 7, active: true });
    const history = await h.mgmt('GET', `/rest/v1/targets/node-1/actions/${actionId}/status?limit=1`);
    expect(history.json.content[0]).toMatchObject({ type: 'running', messages: ['downloading', 'Device reported status code: 7'], code: 7 });
    for (const bad of [{}, { status: { execution: 'exploded', result: { finished: 'none' } } }, { status: { execution: 'closed', result: {} } }]) {
      const r = await dev!.call('POST', `/deploymentBase/${actionId}/feedback`, bad);
      expect(r.status).toBe(400);
      expect(r.json.errorCode).toBe('hawkbit.server.error.rest.body.notReadable');
    }
    expect((await dev!.feedback(actionId, 'closed', 'success')).status).toBe(200);
    const target = await h.mgmt('GET', '/rest/v1/targets/node-1');
    expect(target.json).toMatchObject({ updateStatus: 'in_sync', installedAt: h.clock.now });
    expect((await h.mgmt('GET', '/rest/v1/targets/node-1/installedDS')).json.id).toBe(dsId);
    const gone = await dev!.feedback(actionId, 'closed', 'success');
    expect(gone.status).toBe(410);
    expect(gone.text).toBe('');
    const after = await dev!.poll();
    expect(after.json._links).toEqual({
      installedBase: { href: `${h.url}/DEFAULT/controller/v1/node-1/installedBase/${actionId}` },
      configData: { href: `${h.url}/DEFAULT/controller/v1/node-1/configData` },
    });
    expect((await dev!.call('GET', `/installedBase/${actionId}`)).json.id).toBe(String(actionId));

    const unknown = await dev!.call('GET', '/deploymentBase/9999');
    expect(unknown.status).toBe(404);
    expect(unknown.json.errorCode).toBe('hawkbit.server.error.repo.entityNotFound');
  });

  it('marks failures, derives download/update handling per action type and maintenance window', async () => {
    const h = await serve();
    const devices = await createDevices(h, ['t-forced', 't-dl', 't-time', 't-mw', 't-closed']);
    const { dsId } = await createRelease(h, '9.0.0');
    const handlingOf = async (d: Device, id: number): Promise<Record<string, unknown>> => {
      const { chunks: _chunks, ...rest } = (await d.call('GET', `/deploymentBase/${id}`)).json.deployment;
      return rest;
    };
    const forced = await assignTo(h, dsId, { id: 't-forced', type: 'forced' });
    expect(await handlingOf(devices[0]!, forced)).toEqual({ download: 'forced', update: 'forced' });
    expect((await devices[0]!.feedback(forced, 'closed', 'failure', { details: ['boot failed'] })).status).toBe(200);
    expect((await h.mgmt('GET', '/rest/v1/targets/t-forced')).json.updateStatus).toBe('error');
    expect((await h.mgmt('GET', `/rest/v1/targets/t-forced/actions/${forced}`)).json).toMatchObject({ status: 'error', active: false });

    const dl = await assignTo(h, dsId, { id: 't-dl', type: 'downloadonly' });
    expect(await handlingOf(devices[1]!, dl)).toEqual({ download: 'forced', update: 'skip' });
    await devices[1]!.feedback(dl, 'downloaded', 'none');
    expect((await h.mgmt('GET', `/rest/v1/targets/t-dl/actions/${dl}`)).json).toMatchObject({ status: 'downloaded', active: false });

    const timed = await assignTo(h, dsId, { id: 't-time', type: 'timeforced', forcetime: h.clock.now + 60_000 });
    expect(await handlingOf(devices[2]!, timed)).toEqual({ download: 'attempt', update: 'attempt' });
    h.clock.now += 60_000;
    expect(await handlingOf(devices[2]!, timed)).toEqual({ download: 'forced', update: 'forced' });

    const hour = new Date(h.clock.now).getUTCHours();
    const mw = await assignTo(h, dsId, { id: 't-mw', type: 'forced', maintenanceWindow: { schedule: `0 0 ${hour} * * ?`, duration: '01:00:00', timezone: '+00:00' } });
    expect(await handlingOf(devices[3]!, mw)).toEqual({ download: 'forced', update: 'forced', maintenanceWindow: 'available' });
    h.clock.now += 2 * 3_600_000;
    expect(await handlingOf(devices[3]!, mw)).toEqual({ download: 'forced', update: 'skip', maintenanceWindow: 'unavailable' });
    const invalid = await h.mgmt('POST', `/rest/v1/distributionsets/${dsId}/assignedTargets`, [{ id: 't-closed', maintenanceWindow: { schedule: 'every day', duration: '1h', timezone: 'x' } }]);
    expect(invalid.status).toBe(400);
    expect(invalid.json.errorCode).toBe('hawkbit.server.error.maintenanceScheduleInvalid');
  });

  it('runs a soft cancel through the device: cancelAction link, 404 deploymentBase, cancel feedback', async () => {
    const h = await serve();
    const [dev] = await createDevices(h, ['c-1']);
    const { dsId } = await createRelease(h, '1.0.0');
    const id = await assignTo(h, dsId, { id: 'c-1' });
    expect((await dev!.call('POST', `/cancelAction/${id}/feedback`, { status: { execution: 'closed', result: { finished: 'success' } } })).status).toBe(405);
    expect((await h.mgmt('DELETE', `/rest/v1/targets/c-1/actions/${id}`)).status).toBe(204);
    const poll = await dev!.poll();
    expect(poll.json._links.cancelAction.href).toBe(`${h.url}/DEFAULT/controller/v1/c-1/cancelAction/${id}`);
    expect(poll.json._links).not.toHaveProperty('deploymentBase');
    const dep = await dev!.call('GET', `/deploymentBase/${id}`);
    expect(dep.status).toBe(404);
    expect(dep.text).toBe('');
    expect((await dev!.call('GET', `/cancelAction/${id}`)).json).toEqual({ id: String(id), cancelAction: { stopId: String(id) } });
    await dev!.call('POST', `/cancelAction/${id}/feedback`, { status: { execution: 'rejected', result: { finished: 'none' } } });
    expect((await h.mgmt('GET', `/rest/v1/targets/c-1/actions/${id}`)).json.status).toBe('running');
    expect((await h.mgmt('DELETE', `/rest/v1/targets/c-1/actions/${id}`)).status).toBe(204);
    expect((await dev!.call('POST', `/cancelAction/${id}/feedback`, { status: { execution: 'closed', result: { finished: 'success' } } })).status).toBe(200);
    expect((await h.mgmt('GET', `/rest/v1/targets/c-1/actions/${id}`)).json).toMatchObject({ status: 'canceled', active: false, type: 'cancel' });
    expect((await h.mgmt('GET', '/rest/v1/targets/c-1')).json.updateStatus).toBe('in_sync');
    expect((await dev!.feedback(id, 'closed', 'success')).status).toBe(410);
  });

  it('stores configData in merge, replace and remove modes and stops asking for it', async () => {
    const h = await serve();
    const [dev] = await createDevices(h, ['cfg-1']);
    expect((await dev!.call('PUT', '/configData', { data: { a: '1', b: '2' } })).status).toBe(200);
    expect((await h.mgmt('GET', '/rest/v1/targets/cfg-1/attributes')).json).toEqual({ a: '1', b: '2' });
    expect((await dev!.poll()).json._links).toEqual({});
    await dev!.call('PUT', '/configData', { mode: 'merge', data: { c: '3' } });
    await dev!.call('PUT', '/configData', { mode: 'remove', data: { a: '' } });
    expect((await h.mgmt('GET', '/rest/v1/targets/cfg-1/attributes')).json).toEqual({ b: '2', c: '3' });
    await dev!.call('PUT', '/configData', { mode: 'replace', data: { z: '26' } });
    expect((await h.mgmt('GET', '/rest/v1/targets/cfg-1/attributes')).json).toEqual({ z: '26' });
    expect((await dev!.call('PUT', '/configData', { data: { n: 1 } })).status).toBe(400);
    expect((await dev!.call('PUT', '/configData', { mode: 'append', data: {} })).status).toBe(400);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v']));
    const quota = await dev!.call('PUT', '/configData', { data: many });
    expect(quota.status).toBe(429);
    expect(quota.json.errorCode).toBe('hawkbit.server.error.quota.tooManyEntries');
    expect((await h.mgmt('PUT', '/rest/v1/targets/cfg-1', { requestAttributes: true })).json.requestAttributes).toBe(true);
    expect((await dev!.poll()).json._links.configData).toBeDefined();
  });
});
