// The rollout engine of the hawkBit emulator driven end to end by simulated devices over DDI:
// 100 targets, three explicit groups, a PAUSE success action on the canary, an error threshold
// with PAUSE, manual triggerNextGroup, and totalTargetsPerStatus asserted at every step.
import { afterEach, describe, expect, it } from 'vitest';
import { createDevices, createRelease, startHawkbit, type Device, type Harness } from '../../helpers/hawkbit-harness.js';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

async function serve(): Promise<Harness> {
  const h = await startHawkbit();
  open.push(h);
  return h;
}

const totals = (scheduled: number, running: number, error: number, finished: number, cancelled: number, notstarted: number): Record<string, number> =>
  ({ scheduled, running, error, finished, cancelled, notstarted });

async function rollout(h: Harness, id: number): Promise<any> {
  const r = await h.mgmt('GET', `/rest/v1/rollouts/${id}`);
  expect(r.status).toBe(200);
  return r.json;
}

async function groups(h: Harness, id: number): Promise<any[]> {
  const r = await h.mgmt('GET', `/rest/v1/rollouts/${id}/deploygroups?representation=full`);
  expect(r.status).toBe(200);
  return r.json.content;
}

async function members(h: Harness, rolloutId: number, groupId: number, devices: Map<string, Device>): Promise<Device[]> {
  const r = await h.mgmt('GET', `/rest/v1/rollouts/${rolloutId}/deploygroups/${groupId}/targets?limit=500`);
  expect(r.status).toBe(200);
  return (r.json.content as Array<{ controllerId: string }>).map((t) => devices.get(t.controllerId)!);
}

describe('hawkbit emulator: rollout engine', () => {
  it('runs 100 devices through canary PAUSE, manual expansion, error pause and completion', async () => {
    const h = await serve();
    const ids = Array.from({ length: 100 }, (_, i) => `dev-${String(i).padStart(3, '0')}`);
    const devices = new Map((await createDevices(h, ids)).map((d) => [d.controllerId, d]));
    const { dsId } = await createRelease(h, '2.4.0');

    const created = await h.mgmt('POST', '/rest/v1/rollouts', {
      name: 'fw-2.4.0-wave', distributionSetId: dsId, targetFilterQuery: 'controllerId==dev-*', type: 'forced',
      successCondition: { condition: 'THRESHOLD', expression: '80' },
      successAction: { action: 'NEXTGROUP', expression: '' },
      errorCondition: { condition: 'THRESHOLD', expression: '20' },
      errorAction: { action: 'PAUSE', expression: '' },
      groups: [
        { name: 'canary', targetPercentage: 10, successAction: { action: 'PAUSE', expression: '' } },
        { name: 'wave', targetPercentage: 50 },
        { name: 'rest', targetPercentage: 100 },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'creating', totalTargets: 100, totalGroups: 3 });
    const id = created.json.id as number;

    // creating → ready on the scheduler pass; groups drawn in order (1.x: share of all targets).
    expect((await rollout(h, id)).status).toBe('creating');
    h.emu.runScheduler();
    let r = await rollout(h, id);
    expect(r.status).toBe('ready');
    expect(r.totalTargetsPerStatus).toEqual(totals(0, 0, 0, 0, 0, 100));
    let g = await groups(h, id);
    expect(g.map((x) => [x.name, x.status, x.totalTargets])).toEqual([['canary', 'ready', 10], ['wave', 'ready', 50], ['rest', 'ready', 40]]);
    expect(g[0].successAction).toEqual({ action: 'PAUSE', expression: '' });
    expect(g[1].successCondition).toEqual({ condition: 'THRESHOLD', expression: '80' });
    const [canary, wave, rest] = [
      await members(h, id, g[0].id, devices), await members(h, id, g[1].id, devices), await members(h, id, g[2].id, devices),
    ];

    // start → starting (204), the next pass makes it running with the canary started.
    expect((await h.mgmt('POST', `/rest/v1/rollouts/${id}/start`)).status).toBe(204);
    expect((await rollout(h, id)).status).toBe('starting');
    h.emu.runScheduler();
    r = await rollout(h, id);
    expect(r.status).toBe('running');
    expect(r.totalTargetsPerStatus).toEqual(totals(90, 10, 0, 0, 0, 0));
    g = await groups(h, id);
    expect(g.map((x) => x.status)).toEqual(['running', 'scheduled', 'scheduled']);
    expect(g[0].totalTargetsPerStatus).toEqual(totals(0, 10, 0, 0, 0, 0));
    expect(g[1].totalTargetsPerStatus).toEqual(totals(50, 0, 0, 0, 0, 0));
    // Devices of scheduled groups see nothing yet.
    expect(await rest[0]!.pendingAction()).toBeUndefined();

    // Canary: 7 of 10 succeed (70 % < 80 %), still running; the 8th meets the threshold → PAUSE.
    for (const d of canary.slice(0, 7)) await d.install('success');
    expect((await rollout(h, id)).status).toBe('running');
    await canary[7]!.install('success');
    r = await rollout(h, id);
    expect(r.status).toBe('paused');
    expect(r.totalTargetsPerStatus).toEqual(totals(90, 2, 0, 8, 0, 0));
    // While paused the last canary devices still finish; nothing else starts.
    for (const d of canary.slice(8)) await d.install('success');
    r = await rollout(h, id);
    expect(r.status).toBe('paused');
    expect(r.totalTargetsPerStatus).toEqual(totals(90, 0, 0, 10, 0, 0));
    const refused = await h.mgmt('POST', `/rest/v1/rollouts/${id}/triggerNextGroup`);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      exceptionClass: 'org.eclipse.hawkbit.repository.exception.RolloutIllegalStateException',
      errorCode: 'hawkbit.server.error.rollout.illegalState', message: 'Rollout is not in running state',
    });

    // resume → the paused success action hands over to the wave group.
    expect((await h.mgmt('POST', `/rest/v1/rollouts/${id}/resume`)).status).toBe(204);
    r = await rollout(h, id);
    expect(r.status).toBe('running');
    expect(r.totalTargetsPerStatus).toEqual(totals(40, 50, 0, 10, 0, 0));
    g = await groups(h, id);
    expect(g.map((x) => x.status)).toEqual(['finished', 'running', 'scheduled']);
    expect(g[0].totalTargetsPerStatus).toEqual(totals(0, 0, 0, 10, 0, 0));

    // Manual expansion: triggerNextGroup starts the last group while the wave still runs.
    expect((await h.mgmt('POST', `/rest/v1/rollouts/${id}/triggerNextGroup`)).status).toBe(204);
    r = await rollout(h, id);
    expect(r.totalTargetsPerStatus).toEqual(totals(0, 90, 0, 10, 0, 0));
    expect((await groups(h, id)).map((x) => x.status)).toEqual(['finished', 'running', 'running']);
    const noneLeft = await h.mgmt('POST', `/rest/v1/rollouts/${id}/triggerNextGroup`);
    expect(noneLeft.status).toBe(400);
    expect(noneLeft.json.message).toBe('Rollout does not have any groups left to be triggered');

    // Wave failures: 10 of 50 = 20 % is not above the 20 % error threshold; the 11th is.
    for (const d of wave.slice(0, 10)) await d.install('failure');
    expect((await rollout(h, id)).status).toBe('running');
    await wave[10]!.install('failure');
    r = await rollout(h, id);
    expect(r.status).toBe('paused');
    expect(r.totalTargetsPerStatus).toEqual(totals(0, 79, 11, 10, 0, 0));
    g = await groups(h, id);
    expect(g.map((x) => x.status)).toEqual(['finished', 'error', 'running']);
    expect(g[1].totalTargetsPerStatus).toEqual(totals(0, 39, 11, 0, 0, 0));
    const failed = await h.mgmt('GET', `/rest/v1/targets/${wave[0]!.controllerId}`);
    expect(failed.json.updateStatus).toBe('error');

    // resume: the last started group (rest) has nothing after it, so nothing new starts.
    expect((await h.mgmt('POST', `/rest/v1/rollouts/${id}/resume`)).status).toBe(204);
    expect((await rollout(h, id)).status).toBe('running');
    for (const d of wave.slice(11)) await d.install('success');
    r = await rollout(h, id);
    expect(r.totalTargetsPerStatus).toEqual(totals(0, 40, 11, 49, 0, 0));
    for (const d of rest.slice(0, 39)) await d.install('success');
    expect((await rollout(h, id)).status).toBe('running');
    await rest[39]!.install('success');
    r = await rollout(h, id);
    expect(r.status).toBe('finished');
    expect(r.totalTargetsPerStatus).toEqual(totals(0, 0, 11, 89, 0, 0));
    g = await groups(h, id);
    expect(g.map((x) => x.status)).toEqual(['finished', 'error', 'finished']);
    expect(g[2].totalTargetsPerStatus).toEqual(totals(0, 0, 0, 40, 0, 0));
    const synced = await h.mgmt('GET', `/rest/v1/targets/${rest[0]!.controllerId}/installedDS`);
    expect(synced.json).toMatchObject({ id: dsId, version: '2.4.0' });

    // A finished rollout can be retried: a new rollout over the 11 failed targets, one group.
    const retry = await h.mgmt('POST', `/rest/v1/rollouts/${id}/retry`);
    expect(retry.status).toBe(201);
    expect(retry.json).toMatchObject({ name: 'fw-2.4.0-wave_retry', targetFilterQuery: `failedrollout==${id}`, totalTargets: 11, status: 'creating' });
    h.emu.runScheduler();
    const retried = await groups(h, retry.json.id);
    expect(retried.map((x) => [x.name, x.totalTargets])).toEqual([['group-1', 11]]);
    // Every retry of it is named the same: a second one collides with the first (uk_rollout).
    const twice = await h.mgmt('POST', `/rest/v1/rollouts/${id}/retry`);
    expect(twice.status).toBe(409);
    expect(twice.json.errorCode).toBe('hawkbit.server.error.repo.entityAlreadyExists');
  });

  it('starts the next group on resume after an error pause, as hawkBit 1.x does', async () => {
    const h = await serve();
    const ids = Array.from({ length: 10 }, (_, i) => `unit-${i}`);
    const devices = new Map((await createDevices(h, ids)).map((d) => [d.controllerId, d]));
    const { dsId } = await createRelease(h, '1.1.0');
    const created = await h.mgmt('POST', '/rest/v1/rollouts', {
      name: 'two-step', distributionSetId: dsId, targetFilterQuery: 'name==unit-*', amountGroups: 2,
      successCondition: { condition: 'THRESHOLD', expression: '100' }, errorCondition: { condition: 'THRESHOLD', expression: '0' },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as number;
    h.emu.runScheduler();
    let g = await groups(h, id);
    expect(g.map((x) => [x.name, x.totalTargets, x.targetPercentage])).toEqual([['group-1', 5, 50], ['group-2', 5, 50]]);
    await h.mgmt('POST', `/rest/v1/rollouts/${id}/start`);
    h.emu.runScheduler();
    const first = await members(h, id, g[0].id, devices);
    await first[0]!.install('failure');
    let r = await rollout(h, id);
    expect(r.status).toBe('paused');
    expect(r.totalTargetsPerStatus).toEqual(totals(5, 4, 1, 0, 0, 0));
    expect((await h.mgmt('POST', `/rest/v1/rollouts/${id}/resume`)).status).toBe(204);
    r = await rollout(h, id);
    expect(r.status).toBe('running');
    expect(r.totalTargetsPerStatus).toEqual(totals(0, 9, 1, 0, 0, 0));
    g = await groups(h, id);
    expect(g.map((x) => x.status)).toEqual(['error', 'running']);
    const refused = await h.mgmt('POST', `/rest/v1/rollouts/${id}/triggerNextGroup`);
    expect(refused.status).toBe(400);
    expect(refused.json.errorCode).toBe('hawkbit.server.error.rollout.illegalState');
  });

  it('advances on the timer of the scheduler when no test seam is called', async () => {
    const h = await startHawkbit({ schedulerIntervalMs: 20 });
    open.push(h);
    await createDevices(h, ['t-1']);
    const { dsId } = await createRelease(h, '3.0.0');
    const created = await h.mgmt('POST', '/rest/v1/rollouts', { name: 'timed', distributionSetId: dsId, targetFilterQuery: 'id==t-1' });
    expect(created.json.status).toBe('creating');
    let status = 'creating';
    for (let i = 0; i < 100 && status !== 'ready'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = (await rollout(h, created.json.id)).status;
    }
    expect(status).toBe('ready');
  });
});
