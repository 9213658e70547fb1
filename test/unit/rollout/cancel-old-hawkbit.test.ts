// `cdm rollout cancel` is hawkBit's `POST /rollouts/{id}/stop`, which came with 0.10. hawkBit 0.9
// (the tenant stack's) has no such route and answers Spring's bare 404: that is said as what it is
// (exit 5, nothing changed, what to do instead), not as "rollout not found" (exit 3).
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/core/errors.js';
import { HawkbitClient } from '../../../src/services/hawkbit/client.js';
import { RolloutApi } from '../../../src/services/hawkbit/rollouts.js';
import { SoftwareApi } from '../../../src/services/hawkbit/software.js';
import { rolloutOpWith } from '../../../src/workflows/rollout/lifecycle.js';
import { fakeHttp, type Reply, type Sent } from './fake-http.js';

function hawkbit09(): (req: Sent) => Reply {
  return (req) => {
    const path = req.url.pathname.replace('/rest/v1', '');
    if (req.method === 'GET' && path === '/rollouts/9') return { status: 200, json: { id: 9, name: 'fw', status: 'running', totalTargets: 20, distributionSetId: 5, targetFilterQuery: 'name==*' } };
    return { status: 404, json: { timestamp: '2026-12-08T00:00:00.000+00:00', status: 404, error: 'Not Found', path: req.url.pathname } };
  };
}

describe('rollout cancel on a hawkBit without stop', () => {
  it('is a refused precondition naming the missing route and what to do, not an unknown rollout', async () => {
    const http = fakeHttp(hawkbit09());
    const client = new HawkbitClient(http, 'http://hb.test', 'admin', 'admin');
    const hb = { client, software: new SoftwareApi(client), rollouts: new RolloutApi(client) };
    const err = await rolloutOpWith({ sleep: () => Promise.resolve(), clock: () => 0 }, hb, '9', 'stop').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).message).toBe('this hawkBit cannot stop rollout fw: it has no POST /rollouts/{id}/stop (that came with hawkBit 0.10); nothing was changed');
    expect((err as ConflictError).hint).toContain('cdm rollout pause 9');
    expect(http.sent.filter((s) => s.method === 'POST').map((s) => s.url.pathname)).toEqual(['/rest/v1/rollouts/9/stop']);
  });
});
