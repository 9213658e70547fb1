import type { ReadVerb } from '../../src/core/command-spec.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export const completionVerb: ReadVerb = {
  name: 'completion',
  summary: 'Print the shell completion script for bash, zsh or fish',
  args: [{ name: 'shell', description: 'bash, zsh or fish', required: true, choices: SHELLS }],
  examples: [
    { command: 'cdm completion bash > ~/.local/share/bash-completion/completions/cdm', description: 'install for bash' },
    { command: 'cdm completion zsh > "${fpath[1]}/_cdm"', description: 'install for zsh' },
    { command: 'cdm completion fish > ~/.config/fish/completions/cdm.fish', description: 'install for fish' },
  ],
  mutates: false,
  async run(ctx) {
    const { completionScript } = await import('../../src/completion/index.js');
    const { REGISTRY } = await import('../index.js');
    await ctx.f.output().raw(completionScript(String(ctx.args.shell) as (typeof SHELLS)[number], REGISTRY));
  },
};
