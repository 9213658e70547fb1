import type { ReadVerb } from '../../src/core/command-spec.js';
import { VERSION } from '../../src/version.js';

export const versionVerb: ReadVerb = {
  name: 'version',
  summary: 'Print the version of cdm and of Node.js',
  examples: [
    { command: 'cdm version', description: 'human form' },
    { command: 'cdm version -o json', description: 'for bug reports and scripts' },
  ],
  mutates: false,
  async run(ctx) {
    const out = ctx.f.output();
    const info = { version: VERSION, node: process.version, platform: `${process.platform}/${process.arch}` };
    if (out.machine) await out.item('Version', info);
    else await out.raw(`cdm ${info.version} (node ${info.node}, ${info.platform})`);
  },
};
