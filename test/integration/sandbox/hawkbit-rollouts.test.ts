// hawkBit emulator, rollout lifecycle through the Management API: creation refusals, illegal
// transitions, approval, startAt, stop, delete (hard and soft), listing and deploy groups.
import { afterEach, describe, expect, it } from 'vitest';
import type { HawkbitEmulatorOptions } from '../../../src/sandbox/hawkbit/index.js';
import { createDevices, createRelease, startHawkbit, type Harness } from '../../helpers/hawkbit-harness.js';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});
async function serve(overrides: Partial<HawkbitEmulatorOptions> = {}): Promise<Harness> {
  const h = await startHawkbit(overrides);
  open.push(h);
  return h;
}

async function setup(h: Harness, count = 4): Promise<number> {
  await createDevices(h, Array.from({ length: count }, (_, i) => `r-${i}`));
  return (await createRelease(h, '1.0.0')).dsId;
}

const illegal = (message: string): Record<string, string> => ({
  exceptionClass: 'org.eclipse.hawkbit.repository.exception.RolloutIllegalStateException',
  errorCode: 'hawkbit.server.error.rollout.illegalState', message,
});

describe('hawkbit emulator: rollout creation', () => {
  it('refuses invalid rollouts with the hawkBit errors', async () => {
    const h = await serve();
    const dsId = await setup(h);
    const incomplete = await h.mgmt('POST', '/rest/v1/distributionsets', [{ name: 'empty', version: '1' }]);
    const cases: Array<[Record<string, unknown>, number, string, string?]> = [
      [{ name: 'x', distributionSetId: dsId }, 400, 'hawkbit.server.error.rest.param.rsqlParamSyntax', 'Cannot create a Rollout with an empty target query filter!'],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'name=(' }, 400, 'hawkbit.server.error.rest.param.rsqlParamSyntax'],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'shoe==size' }, 400, 'hawkbit.server.error.rest.param.rsqlInvalidField'],
      [{ name: 'x', distributionSetId: 999, targetFilterQuery: 'name==*' }, 404, 'hawkbit.server.error.repo.entityNotFound'],
      [{ name: 'x', distributionSetId: incomplete.json[0].id, targetFilterQuery: 'name==*' }, 400, 'hawkbit.server.error.distributionset.incomplete'],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'name==*', amountGroups: 2, groups: [{ name: 'a' }] }, 400, 'hawkbit.server.error.repo.constraintViolation', "If 'group' is set the 'amountGroups' must not be set in the request"],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'name==*', groups: [] }, 400, 'hawkbit.server.error.repo.constraintViolation', 'The amount of groups cannot be 0'],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'name==*', groups: [{ name: 'a', targetPercentage: 0 }] }, 400, 'hawkbit.server.error.repo.constraintViolation', 'Target percentage has to be between 1 and 100'],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'name==*', groups: [{ name: 'a', targetPercentage: 50 }] }, 400, 'hawkbit.server.error.repo.constraintViolation', "Rollout groups don't match all targets that are targeted by the rollout"],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'name==nobody' }, 400, 'hawkbit.server.error.repo.constraintViolation', 'Rollout does not match any existing targets'],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'name==*', amountGroups: -1 }, 400, 'hawkbit.server.error.repo.constraintViolation'],
      [{ distributionSetId: dsId, targetFilterQuery: 'name==*' }, 400, 'hawkbit.server.error.rest.body.notReadable'],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'name==*', successAction: { action: 'ROLLBACK' } }, 400, 'hawkbit.server.error.rest.body.notReadable'],
      [{ name: 'x', distributionSetId: dsId, targetFilterQuery: 'name==*', type: 'eventually' }, 400, 'hawkbit.server.error.rest.body.notReadable'],
    ];
    for (const [body, status, code, message] of cases) {
      const r = await h.mgmt('POST', '/rest/v1/rollouts', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.errorCode, JSON.stringify(body)).toBe(code);
      if (message) expect(r.json.message).toBe(message);
    }
    expect((await h.mgmt('GET', '/rest/v1/rollouts')).json.total).toBe(0);
    // The documented-but-wrong fields of the CDM docs are ignored (unknown properties), defaults apply.
    const docs = await h.mgmt('POST', '/rest/v1/rollouts', { name: 'docs', distributionSetId: dsId, targetFilterQuery: 'name==r-*', amountGroups: 2, successThreshold: '95', actionType: 'soft' });
    expect(docs.status).toBe(201);
    expect(docs.json).toMatchObject({ type: 'forced', totalGroups: 2 });
    h.emu.runScheduler();
    const g = await h.mgmt('GET', `/rest/v1/rollouts/${docs.json.id}/deploygroups`);
    expect(g.json.content[0]).toMatchObject({ successCondition: { condition: 'THRESHOLD', expression: '50' }, errorAction: { action: 'PAUSE', expression: '' } });
    expect(g.json.content[0]).not.toHaveProperty('totalTargetsPerStatus');
  });

  it('keeps rollout names unique (uk_rollout) and group names unique per rollout (uk_rolloutgroup): 409 entityAlreadyExists', async () => {
    const h = await serve();
    const dsId = await setup(h);
    const exists = { exceptionClass: 'org.eclipse.hawkbit.repository.exception.EntityAlreadyExistsException', errorCode: 'hawkbit.server.error.repo.entityAlreadyExists', message: 'The given entity already exists in database' };
    const create = (name: string, extra: Record<string, unknown> = {}): Promise<any> => h.mgmt('POST', '/rest/v1/rollouts', { name, distributionSetId: dsId, targetFilterQuery: 'name==r-*', ...extra });
    const first = await create('fw');
    expect(first.status).toBe(201);
    const again = await create('fw');
    expect(again.status).toBe(409);
    expect(again.json).toEqual(exists);
    expect((await create('twins', { groups: [{ name: 'a', targetPercentage: 50 }, { name: 'a' }] })).json).toEqual(exists);
    const other = await create('other');
    expect((await h.mgmt('PUT', `/rest/v1/rollouts/${other.json.id}`, { name: 'fw' })).json).toEqual(exists);
    expect((await h.mgmt('PUT', `/rest/v1/rollouts/${other.json.id}`, { name: 'other', description: 'same name is fine' })).status).toBe(200);
    expect((await h.mgmt('GET', '/rest/v1/rollouts')).json.total).toBe(2);

    // A soft-deleted rollout (its actions reached devices) keeps its name; a hard-deleted one frees it.
    h.emu.runScheduler();
    await h.mgmt('POST', `/rest/v1/rollouts/${first.json.id}/start`);
    h.emu.runScheduler();
    await h.mgmt('DELETE', `/rest/v1/rollouts/${first.json.id}`);
    h.emu.runScheduler();
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${first.json.id}`)).json.status).toBe('deleted');
    expect((await create('fw')).status).toBe(409);
    await h.mgmt('DELETE', `/rest/v1/rollouts/${other.json.id}`);
    h.emu.runScheduler();
    expect((await create('other')).status).toBe(201);
  });

  it('stays creating until the configured delay has passed on the scheduler clock', async () => {
    const h = await serve({ creatingDelayMs: 5_000 });
    const dsId = await setup(h);
    const r = await h.mgmt('POST', '/rest/v1/rollouts', { name: 'slow', distributionSetId: dsId, targetFilterQuery: 'name==r-*' });
    h.emu.runScheduler();
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${r.json.id}`)).json.status).toBe('creating');
    h.clock.now += 5_000;
    h.emu.runScheduler();
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${r.json.id}`)).json.status).toBe('ready');
  });
});

describe('hawkbit emulator: rollout transitions', () => {
  it('refuses illegal transitions with illegalState and walks stop and delete', async () => {
    const h = await serve();
    const dsId = await setup(h);
    const r = await h.mgmt('POST', '/rest/v1/rollouts', { name: 'walk', distributionSetId: dsId, targetFilterQuery: 'name==r-*', amountGroups: 2 });
    const id = r.json.id;
    const post = (op: string): Promise<any> => h.mgmt('POST', `/rest/v1/rollouts/${id}/${op}`);
    expect((await post('start')).json).toEqual(illegal('Rollout can only be started in state ready but current state is creating'));
    h.emu.runScheduler();
    expect((await post('pause')).json).toEqual(illegal('Rollout can only be paused in state running but current state is ready'));
    expect((await post('resume')).json).toEqual(illegal('Rollout can only be resumed in state paused but current state is ready'));
    expect((await post('triggerNextGroup')).json).toEqual(illegal('Rollout is not in running state'));
    expect((await post('approve')).json).toEqual(illegal('Rollout is not in status WAITING_FOR_APPROVAL'));
    expect((await post('deny')).json).toEqual(illegal('Rollout is not in status WAITING_FOR_APPROVAL'));
    const retry = await post('retry');
    expect(retry.status).toBe(400);
    expect(retry.json).toMatchObject({ errorCode: 'hawkbit.server.error.repo.constraintViolation', message: 'Rollout must be finished in order to be retried!' });
    expect((await post('start')).status).toBe(204);
    expect((await post('start')).json).toEqual(illegal('Rollout can only be started in state ready but current state is starting'));
    h.emu.runScheduler();
    expect((await post('pause')).status).toBe(204);
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${id}`)).json.status).toBe('paused');
    expect((await post('resume')).status).toBe(204);

    expect((await post('stop')).status).toBe(204);
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${id}`)).json.status).toBe('stopping');
    h.emu.runScheduler();
    const stopped = await h.mgmt('GET', `/rest/v1/rollouts/${id}`);
    expect(stopped.json.status).toBe('stopped');
    // Scheduled actions are removed, started ones soft-canceled (still active until the device confirms).
    expect(stopped.json.totalTargetsPerStatus).toEqual({ scheduled: 0, running: 2, error: 0, finished: 0, cancelled: 0, notstarted: 2 });
    expect((await h.mgmt('GET', `/rest/v1/actions?q=${encodeURIComponent(`rollout.id==${id}`)}`)).json.content.map((a: any) => a.status)).toEqual(['canceling', 'canceling']);
    expect((await post('stop')).json.message).toBe('Rollout can only be stopped into the following statuses [CREATING, READY, WAITING_FOR_APPROVAL, STARTING, RUNNING, PAUSED, APPROVAL_DENIED]');

    // Delete with actions → soft delete; listed only on request.
    expect((await h.mgmt('DELETE', `/rest/v1/rollouts/${id}`)).status).toBe(204);
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${id}`)).json.status).toBe('deleting');
    h.emu.runScheduler();
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${id}`)).json).toMatchObject({ status: 'deleted', deleted: true });
    expect((await h.mgmt('GET', '/rest/v1/rollouts')).json.total).toBe(0);
    expect((await h.mgmt('GET', '/rest/v1/rollouts?soft_deleted_mode=INCLUDE_SOFT_DELETED')).json.total).toBe(1);
    expect((await h.mgmt('PUT', `/rest/v1/rollouts/${id}`, { name: 'again' })).status).toBe(403);

    // Delete without any started action → hard delete.
    const other = await h.mgmt('POST', '/rest/v1/rollouts', { name: 'never', distributionSetId: dsId, targetFilterQuery: 'name==r-*' });
    h.emu.runScheduler();
    expect((await h.mgmt('DELETE', `/rest/v1/rollouts/${other.json.id}`)).status).toBe(204);
    h.emu.runScheduler();
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${other.json.id}`)).status).toBe(404);
    expect((await h.mgmt('POST', '/rest/v1/rollouts/4242/start')).status).toBe(404);
  });

  it('waits for approval when the workflow is on, and auto-starts at startAt', async () => {
    const h = await serve({ approvalRequired: true });
    const dsId = await setup(h);
    const a = await h.mgmt('POST', '/rest/v1/rollouts', { name: 'needs-ok', distributionSetId: dsId, targetFilterQuery: 'name==r-*', startAt: h.clock.now + 60_000 });
    const b = await h.mgmt('POST', '/rest/v1/rollouts', { name: 'refused', distributionSetId: dsId, targetFilterQuery: 'name==r-*' });
    h.emu.runScheduler();
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${a.json.id}`)).json.status).toBe('waiting_for_approval');
    expect((await h.mgmt('POST', `/rest/v1/rollouts/${a.json.id}/start`)).status).toBe(400);
    expect((await h.mgmt('POST', `/rest/v1/rollouts/${a.json.id}/approve?remark=looks%20good`)).status).toBe(204);
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${a.json.id}`)).json).toMatchObject({ status: 'ready', approvalRemark: 'looks good', approveDecidedBy: 'admin', startAt: h.clock.now + 60_000 });
    expect((await h.mgmt('POST', `/rest/v1/rollouts/${b.json.id}/deny`)).status).toBe(204);
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${b.json.id}`)).json.status).toBe('approval_denied');
    h.emu.runScheduler();
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${a.json.id}`)).json.status).toBe('ready');
    h.clock.now += 60_000;
    h.emu.runScheduler();
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${a.json.id}`)).json.status).toBe('starting');
    h.emu.runScheduler();
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${a.json.id}`)).json.status).toBe('running');
  });

  it('lists with FIQL and representations, serves deploy groups and finishes at once when the set is already assigned', async () => {
    const h = await serve();
    const dsId = await setup(h, 3);
    await h.mgmt('POST', `/rest/v1/distributionsets/${dsId}/assignedTargets`, [{ id: 'r-0' }, { id: 'r-1' }, { id: 'r-2' }]);
    const a = await h.mgmt('POST', '/rest/v1/rollouts', { name: 'alpha', distributionSetId: dsId, targetFilterQuery: 'name==r-*' });
    const b = await h.mgmt('POST', '/rest/v1/rollouts', { name: 'beta', distributionSetId: dsId, targetFilterQuery: 'name==r-0' });
    h.emu.runScheduler();
    await h.mgmt('POST', `/rest/v1/rollouts/${a.json.id}/start`);
    h.emu.runScheduler();
    h.emu.runScheduler();
    const done = await h.mgmt('GET', `/rest/v1/rollouts/${a.json.id}`);
    expect(done.json.status).toBe('finished');
    expect(done.json.totalTargetsPerStatus).toEqual({ scheduled: 0, running: 0, error: 0, finished: 3, cancelled: 0, notstarted: 0 });

    const compact = await h.mgmt('GET', `/rest/v1/rollouts?q=${encodeURIComponent('status==FINISHED')}`);
    expect(compact.json.content.map((r: any) => r.name)).toEqual(['alpha']);
    expect(compact.json.content[0]).not.toHaveProperty('totalTargetsPerStatus');
    expect(Object.keys(compact.json.content[0]._links)).toEqual(['self']);
    const full = await h.mgmt('GET', `/rest/v1/rollouts?representation=full&q=${encodeURIComponent('name==be*')}`);
    expect(full.json.content[0]).toMatchObject({ name: 'beta', status: 'ready', totalGroups: 1 });
    expect(full.json.content[0]._links.distributionset).toEqual({ href: `${h.url}/rest/v1/distributionsets/${dsId}`, name: 'cdm-release:1.0.0' });
    expect((await h.mgmt('PUT', `/rest/v1/rollouts/${b.json.id}`, { description: 'renamed' })).json.description).toBe('renamed');

    const groupsB = await h.mgmt('GET', `/rest/v1/rollouts/${b.json.id}/deploygroups`);
    const gid = groupsB.json.content[0].id;
    expect((await h.mgmt('GET', `/rest/v1/rollouts/${a.json.id}/deploygroups/${gid}`)).status).toBe(404);
    const single = await h.mgmt('GET', `/rest/v1/rollouts/${b.json.id}/deploygroups/${gid}`);
    expect(single.json).toMatchObject({ name: 'group-1', status: 'ready', totalTargets: 1, targetPercentage: 100, totalTargetsPerStatus: { notstarted: 1 } });
    const members = await h.mgmt('GET', `/rest/v1/rollouts/${b.json.id}/deploygroups/${gid}/targets`);
    expect(members.json.content.map((t: any) => t.controllerId)).toEqual(['r-0']);
  });
});
