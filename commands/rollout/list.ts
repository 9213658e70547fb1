import type { ReadVerb } from '../../src/core/command-spec.js';
import { checkFiql } from '../../src/services/hawkbit/fiql.js';
import { SUMMARY } from './views.js';

export const list: ReadVerb = {
  name: 'list',
  summary: 'List rollouts with their status and progress',
  description: 'Every rollout of the context\'s hawkBit, streamed page by page (-o ndjson writes each as it arrives), with finished and failed target counts. --query filters with FIQL on rollout fields (status==RUNNING, name==fw-*).',
  flags: [{ flags: '--query <fiql>', description: 'FIQL filter on rollout fields, e.g. "status==PAUSED"', parse: checkFiql }],
  examples: [
    { command: 'cdm rollout list', description: 'all rollouts' },
    { command: 'cdm rollout list --query "status==PAUSED" -o json', description: 'the paused ones, as data' },
  ],
  mutates: false,
  async run(ctx) {
    const { listRollouts } = await import('../../src/workflows/rollout/lifecycle.js');
    await ctx.f.output().stream('Rollout', listRollouts(ctx.f, ctx.flags.query as string | undefined), SUMMARY, ctx.flags.query === undefined ? 'No rollouts yet: `cdm rollout canary` starts one.' : 'No rollout matches the query.');
  },
};
