// ThingsBoard emulator: server-side RPC to online devices (answered by the simulator's handler)
// and offline ones (504 on v2, 409 on v1 after the request's timeout), timeouts, bad replies, audit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startThingsboard, type TbHarness } from '../../helpers/thingsboard-harness.js';

let tb: TbHarness;
let id: string;
beforeEach(async () => {
  tb = await startThingsboard();
  id = await tb.createDevice('edge-01');
});
afterEach(async () => { await tb.close(); });

describe('thingsboard emulator: RPC', () => {
  it('answers two-way RPC with the device\'s JSON reply and delivers one-way RPC', async () => {
    const calls: Array<[string, unknown]> = [];
    tb.emu.onRpc('edge-01', async (method, params) => { calls.push([method, params]); return method === 'getFw' ? { version: '2.4.0' } : undefined; });
    expect(await tb.send('POST', `/api/rpc/twoway/${id}`, { method: 'getFw', params: { verbose: true } })).toEqual({ status: 200, body: { version: '2.4.0' } });
    expect(await tb.send('POST', `/api/rpc/twoway/${id}`, { method: 'noop' })).toEqual({ status: 200, body: undefined });
    expect(await tb.send('POST', `/api/rpc/oneway/${id}`, { method: 'reboot', params: {} })).toEqual({ status: 200, body: undefined });
    expect(await tb.send('POST', `/api/plugins/rpc/twoway/${id}`, { method: 'getFw' })).toEqual({ status: 200, body: { version: '2.4.0' } });
    expect(calls).toEqual([['getFw', { verbose: true }], ['noop', null], ['reboot', {}], ['getFw', null]]);
    // Connecting the handler counted as the device connecting.
    expect((await tb.get(`/api/device/info/${id}`)).body.active).toBe(true);
  });

  it('answers 504 (v2) and 409 (v1) for an offline device once the request timeout has passed', async () => {
    const started = Date.now();
    const r = await tb.api('POST', `/api/rpc/twoway/${id}`, tb.token, { method: 'getFw', timeout: 300 });
    expect(r.status).toBe(504);
    expect(await r.text()).toBe('');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await tb.send('POST', `/api/rpc/oneway/${id}`, { method: 'reboot', timeout: 50 })).status).toBe(504);
    expect((await tb.send('POST', `/api/plugins/rpc/twoway/${id}`, { method: 'getFw', timeout: 50 })).status).toBe(409);
  });

  it('keeps TB\'s minimum timeout: a shorter `timeout` waits the configured minimum', async () => {
    await tb.close();
    tb = await startThingsboard({ rpcMinTimeoutMs: 400 });
    id = await tb.createDevice('edge-01');
    const started = Date.now();
    expect((await tb.send('POST', `/api/rpc/twoway/${id}`, { method: 'x', timeout: 10 })).status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('times out a device that never answers (504 v2, 408 v1) and answers 406 for a reply that is not JSON', async () => {
    tb.emu.onRpc('edge-01', (method) => (method === 'text' ? Promise.resolve('not json') : new Promise(() => undefined)));
    expect((await tb.send('POST', `/api/rpc/twoway/${id}`, { method: 'hang', timeout: 100 })).status).toBe(504);
    expect((await tb.send('POST', `/api/plugins/rpc/twoway/${id}`, { method: 'hang', timeout: 100 })).status).toBe(408);
    expect((await tb.send('POST', `/api/rpc/twoway/${id}`, { method: 'text' })).status).toBe(406);
    tb.emu.onRpc('edge-01', undefined);
    expect((await tb.send('POST', `/api/rpc/twoway/${id}`, { method: 'x', timeout: 20 })).status).toBe(504);
  });

  it('refuses unknown devices, bad ids and bad bodies', async () => {
    expect(await tb.send('POST', '/api/rpc/twoway/6b0a3d10-1f2e-11f0-9a3b-4bd1f0c0a001', { method: 'x' })).toEqual({ status: 404, body: "Device with requested id wasn't found!" });
    expect((await tb.send('POST', '/api/rpc/twoway/nope', { method: 'x' })).body).toMatchObject({ status: 400, message: 'Invalid UUID string: nope', errorCode: 31 });
    expect((await tb.send('POST', `/api/rpc/twoway/${id}`, '{bad')).body).toMatchObject({ status: 400, message: 'Invalid request body', errorCode: 31 });
    expect((await tb.send('POST', `/api/rpc/twoway/${id}`, { params: {} })).body).toMatchObject({ status: 500, errorCode: 2 });
  });

  it('audits every call as RPC_CALL, failures with the RPC error', async () => {
    tb.emu.onRpc('edge-01', async () => ({ ok: true }));
    await tb.send('POST', `/api/rpc/twoway/${id}`, { method: 'getFw', params: { a: 1 } });
    tb.emu.onRpc('edge-01', undefined);
    await tb.send('POST', `/api/rpc/twoway/${id}`, { method: 'reboot', timeout: 10 });
    const logs = (await tb.get(`/api/audit/logs/entity/DEVICE/${id}?pageSize=10&page=0&actionTypes=RPC_CALL`)).body.data;
    expect(logs).toMatchObject([
      { actionType: 'RPC_CALL', actionStatus: 'FAILURE', actionFailureDetails: 'RPC Error: NO_ACTIVE_CONNECTION', actionData: { entityId: id, oneWay: false, method: 'reboot', params: null } },
      { actionType: 'RPC_CALL', actionStatus: 'SUCCESS', actionFailureDetails: null, entityName: 'edge-01', actionData: { entityId: id, oneWay: false, method: 'getFw', params: '{"a":1}' } },
    ]);
  });
});
