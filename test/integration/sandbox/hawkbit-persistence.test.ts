// hawkBit emulator state survives a restart with the same state file: targets, tokens, artifacts
// (binaries beside the state), rollouts mid-flight and the tenant configuration.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevices, createRelease, Device, startHawkbit, type Harness } from '../../helpers/hawkbit-harness.js';
import { tempDir } from '../../helpers/temp.js';

const open: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('hawkbit emulator: persistence', () => {
  it('restarts with the same state file and carries on', async () => {
    const dir = tempDir('cdm-hawkbit-');
    dirs.push(dir);
    const stateFile = join(dir, 'hawkbit.json');
    const first = await startHawkbit({ stateFile });
    open.push(first);
    const devices = await createDevices(first, ['p-1', 'p-2']);
    const { dsId, smId } = await createRelease(first, '7.0.0');
    const r = await first.mgmt('POST', '/rest/v1/rollouts', { name: 'persisted', distributionSetId: dsId, targetFilterQuery: 'name==p-*', amountGroups: 2, successCondition: { condition: 'THRESHOLD', expression: '100' } });
    first.emu.runScheduler();
    await first.mgmt('POST', `/rest/v1/rollouts/${r.json.id}/start`);
    first.emu.runScheduler();
    await first.mgmt('PUT', '/rest/v1/system/configs/pollingTime', { value: '00:00:30' });
    await first.close();
    open.splice(0);
    expect(readdirSync(`${stateFile}.artifacts`)).toHaveLength(1);

    const second = await startHawkbit({ stateFile, pollingTime: '00:09:00' });
    open.push(second);
    // The file wins over the seed options (polling time), ids keep counting.
    const d1 = new Device(second, 'p-1', devices[0]!.token);
    const poll = await d1.poll();
    expect(poll.json.config.polling.sleep).toBe('00:00:30');
    expect((await second.mgmt('GET', '/rest/v1/softwaremoduletypes')).json.total).toBe(2);
    const art = await second.mgmt('GET', `/rest/v1/softwaremodules/${smId}/artifacts`);
    const dl = await second.mgmt('GET', `/rest/v1/softwaremodules/${smId}/artifacts/${art.json[0].id}/download`);
    expect(dl.text).toBe('image 7.0.0');
    expect((await second.mgmt('GET', `/rest/v1/rollouts/${r.json.id}`)).json).toMatchObject({ status: 'running', totalTargets: 2 });
    await d1.install('success');
    const d2 = new Device(second, 'p-2', devices[1]!.token);
    await d2.install('success');
    const done = await second.mgmt('GET', `/rest/v1/rollouts/${r.json.id}`);
    expect(done.json.status).toBe('finished');
    expect(done.json.totalTargetsPerStatus.finished).toBe(2);
    const next = await second.mgmt('POST', '/rest/v1/targets', [{ controllerId: 'p-3' }]);
    expect(next.status).toBe(201);
    const ds2 = await second.mgmt('POST', '/rest/v1/distributionsets', [{ name: 'later', version: '1' }]);
    expect(ds2.json[0].id).toBe(dsId + 1);
  });
});
