// ThingsBoard emulator: everything survives a restart on the same state file (devices, credentials,
// telemetry, alarms, audit, and the signing key, so issued tokens stay valid); the seed is only
// applied to a fresh file.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startThingsboard, TENANT, type TbHarness } from '../../helpers/thingsboard-harness.js';
import { tempDir } from '../../helpers/temp.js';

const open: TbHarness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(stateFile: string, password = TENANT.password): Promise<TbHarness> {
  const h = await startThingsboard({ stateFile, tenantAdmin: { username: TENANT.username, password } });
  open.push(h);
  return h;
}

describe('thingsboard emulator: persistence', () => {
  it('keeps its state and signing key across a restart with the same state file', async () => {
    const dir = tempDir('cdm-tb-');
    dirs.push(dir);
    const file = join(dir, 'thingsboard.json');
    const first = await start(file);
    const id = await first.createDevice('edge-01', {}, '?accessToken=tok-1');
    first.emu.postTelemetry('edge-01', { cpu_percent: 33 });
    first.emu.raiseAlarm('edge-01', 'High CPU', 'WARNING');
    const token = first.token;
    await first.close();
    open.splice(0);

    const second = await start(file);
    expect((await second.api('GET', `/api/device/${id}`, token)).status).toBe(200);
    expect((await second.get(`/api/device/${id}/credentials`)).body.credentialsId).toBe('tok-1');
    expect((await second.get(`/api/plugins/telemetry/DEVICE/${id}/values/timeseries?keys=cpu_percent`)).body.cpu_percent[0].value).toBe('33');
    expect((await second.get('/api/alarms?pageSize=10&page=0')).body.data.map((a: { type: string }) => a.type)).toEqual(['High CPU']);
    expect((await second.get('/api/audit/logs?pageSize=50&page=0&actionTypes=LOGIN')).body.totalElements).toBe(2);
    expect((await second.get('/api/deviceProfiles?pageSize=10&page=0')).body.totalElements).toBe(2);
  });

  it('does not reseed an existing state: the stored password wins over the options', async () => {
    const dir = tempDir('cdm-tb-');
    dirs.push(dir);
    const file = join(dir, 'thingsboard.json');
    await (await start(file)).close();
    open.splice(0);
    // The harness logs in with the original password: that works, the new one from the options does not.
    const second = await start(file, 'another-password');
    expect((await second.login(TENANT.username, 'another-password')).status).toBe(401);
    expect((await second.login(TENANT.username, TENANT.password)).status).toBe(200);
  });
});
