// `cdm rollout start`: hawkBit creates a rollout in `creating` and fills its groups in the
// background; only a `ready` rollout can start. The verb waits out `creating` instead of passing
// on hawkBit's illegalState refusal. Against a fake hawkBit that stays `creating` for two reads.
import { describe, expect, it } from 'vitest';
import { HawkbitClient } from '../../../src/services/hawkbit/client.js';
import { RolloutApi } from '../../../src/services/hawkbit/rollouts.js';
import { SoftwareApi } from '../../../src/services/hawkbit/software.js';
import { rolloutOpWith } from '../../../src/workflows/rollout/lifecycle.js';
import { fakeHttp, type Reply, type Sent } from './fake-http.js';

function slowHawkbit(creatingReads: number): (req: Sent) => Reply {
  let status = 'creating';
  let reads = 0;
  const rollout = () => ({ id: 9, name: 'fw', status, totalTargets: 20, distributionSetId: 5, targetFilterQuery: 'name==*' });
  return (req) => {
    const path = req.url.pathname.replace('/rest/v1', '');
    if (req.method === 'GET' && path === '/rollouts/9') {
      const answer = rollout();
      if (status === 'creating' && ++reads >= creatingReads) status = 'ready';
      return { status: 200, json: answer };
    }
    if (req.method === 'POST' && path === '/rollouts/9/start') {
      if (status !== 'ready') {
        return { status: 400, json: { errorCode: 'hawkbit.server.error.rollout.illegalState', message: `Rollout can only be started in state ready but current state is ${status}` } };
      }
      status = 'starting';
      return { status: 204 };
    }
    return { status: 404, json: { errorCode: 'hawkbit.server.error.repo.entitiyNotFound', message: `no ${req.method} ${path}` } };
  };
}

describe('rollout start', () => {
  it('waits while hawkBit is still filling the groups, then starts the rollout', async () => {
    const http = fakeHttp(slowHawkbit(2));
    const client = new HawkbitClient(http, 'http://hb.test', 'admin', 'admin');
    const hb = { client, software: new SoftwareApi(client), rollouts: new RolloutApi(client) };
    let slept = 0;
    const r = await rolloutOpWith({ sleep: () => { slept++; return Promise.resolve(); }, clock: () => 0 }, hb, '9', 'start');
    expect(r).toMatchObject({ id: 9, status: 'starting' });
    expect(slept).toBeGreaterThan(0);
    const calls = http.sent.map((s) => `${s.method} ${s.url.pathname.replace('/rest/v1', '')}`);
    // Resolve (creating), wait (creating, then ready), start, read back.
    expect(calls).toEqual(['GET /rollouts/9', 'GET /rollouts/9', 'GET /rollouts/9', 'POST /rollouts/9/start', 'GET /rollouts/9']);
  });
});
