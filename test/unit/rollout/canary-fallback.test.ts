// A hawkBit older than 0.10 refuses the success action PAUSE (Jackson: unknown enum value →
// notReadable). `canary` says so, creates the rollout without it, and holds the canary by pausing
// the rollout as soon as it runs. Against a fake hawkBit answering like 0.9 (200 on void ops).
import { describe, expect, it } from 'vitest';
import { HawkbitClient } from '../../../src/services/hawkbit/client.js';
import { RolloutApi } from '../../../src/services/hawkbit/rollouts.js';
import { SoftwareApi } from '../../../src/services/hawkbit/software.js';
import { createWith, type CreateInput } from '../../../src/workflows/rollout/create.js';
import { fakeHttp, type Reply, type Sent } from './fake-http.js';

const input: CreateInput = { name: 'fw', ds: '5', target: 'name==*', shares: [5, 25, 70], successThreshold: 95, errorThreshold: 5, action: 'forced', start: true, canary: true };
const ds = { id: 5, name: 'cdm-os', version: '2.0.0' };

function oldHawkbit(): (req: Sent) => Reply {
  let status = 'creating';
  return (req) => {
    const path = req.url.pathname.replace('/rest/v1', '');
    if (req.method === 'GET' && path === '/distributionsets/5') return { status: 200, json: ds };
    if (req.method === 'GET' && path === '/rollouts') return { status: 200, json: { content: [], total: 0, size: 0 } };
    if (req.method === 'GET' && path === '/targets') return { status: 200, json: { content: [], total: 20, size: 0 } };
    if (req.method === 'POST' && path === '/rollouts') {
      const body = req.json as { groups: Array<{ successAction: { action: string } }> };
      if (body.groups.some((g) => g.successAction.action === 'PAUSE')) {
        return { status: 400, json: { exceptionClass: 'org.eclipse.hawkbit.rest.exception.MessageNotReadableException', errorCode: 'hawkbit.server.error.rest.body.notReadable', message: 'The given request body is not well formed' } };
      }
      return { status: 201, json: { id: 9, name: 'fw', status: 'creating', totalTargets: 20, distributionSetId: 5, targetFilterQuery: 'name==*' } };
    }
    if (req.method === 'GET' && path === '/rollouts/9') {
      const now = status;
      if (status === 'creating') status = 'ready';
      return { status: 200, json: { id: 9, name: 'fw', status: now, totalTargets: 20, distributionSetId: 5, targetFilterQuery: 'name==*' } };
    }
    if (req.method === 'POST' && path === '/rollouts/9/start') { status = 'running'; return { status: 200 }; }
    if (req.method === 'POST' && path === '/rollouts/9/pause') { status = 'paused'; return { status: 200 }; }
    if (req.method === 'GET' && path === '/rollouts/9/deploygroups') {
      const content = [['canary', 1], ['wave-1', 5], ['wave-2', 14]].map(([name, n], i) => ({ id: i + 1, name, status: 'ready', totalTargets: n, totalTargetsPerStatus: { scheduled: 0, running: 0, error: 0, finished: 0, cancelled: 0, notstarted: n } }));
      return { status: 200, json: { content, total: 3, size: 3 } };
    }
    return { status: 404, json: { errorCode: 'hawkbit.server.error.repo.entitiyNotFound', message: `no ${req.method} ${path}` } };
  };
}

describe('canary on a hawkBit without success action PAUSE', () => {
  it('warns, creates without PAUSE and pauses the rollout once it runs', async () => {
    const http = fakeHttp(oldHawkbit());
    const client = new HawkbitClient(http, 'http://hb.test', 'admin', 'admin');
    const hb = { client, software: new SoftwareApi(client), rollouts: new RolloutApi(client) };
    const r = await createWith({ sleep: () => Promise.resolve(), clock: () => 0 }, hb, input);
    expect(r).toMatchObject({ id: 9, status: 'paused', started: true, hold: 'paused-after-start' });
    expect(r.warnings[0]).toContain('refuses the success action PAUSE');
    const posts = http.sent.filter((s) => s.method === 'POST').map((s) => s.url.pathname.replace('/rest/v1', ''));
    expect(posts).toEqual(['/rollouts', '/rollouts', '/rollouts/9/start', '/rollouts/9/pause']);
    const second = http.sent.filter((s) => s.method === 'POST')[1]!.json as { groups: Array<{ targetPercentage: number; successAction: { action: string } }> };
    expect(second.groups.map((g) => [g.targetPercentage, g.successAction.action])).toEqual([[5, 'NEXTGROUP'], [25, 'NEXTGROUP'], [100, 'NEXTGROUP']]);
  });

  it('does not fall back on other refusals', async () => {
    const http = fakeHttp((req) => (req.method === 'POST'
      ? { status: 400, json: { errorCode: 'hawkbit.server.error.distributionset.incomplete', message: 'Distribution set is incomplete' } }
      : oldHawkbit()(req)));
    const client = new HawkbitClient(http, 'http://hb.test', 'admin', 'admin');
    const hb = { client, software: new SoftwareApi(client), rollouts: new RolloutApi(client) };
    await expect(createWith({ sleep: () => Promise.resolve(), clock: () => 0 }, hb, input)).rejects.toThrow('incomplete');
    expect(http.sent.filter((s) => s.method === 'POST')).toHaveLength(1);
  });
});
