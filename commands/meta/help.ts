import type { ReadVerb } from '../../src/core/command-spec.js';
import { HELP_TOPICS } from '../../src/cli.js';

export const helpVerb: ReadVerb = {
  name: 'help',
  summary: 'Show help for a command or a topic (environment, exit-codes, output, contexts)',
  args: [{ name: 'topic', description: 'a topic, or a command path such as `context add`', variadic: true, complete: [...HELP_TOPICS] }],
  examples: [
    { command: 'cdm help exit-codes', description: 'what each exit status means' },
    { command: 'cdm help environment', description: 'every CDM_* variable' },
    { command: 'cdm help context add', description: 'same as cdm context add --help' },
  ],
  mutates: false,
  async run(ctx) {
    const words = (ctx.args.topic as string[] | undefined) ?? [];
    const { TOPICS } = await import('../../src/help/topics.js');
    const topic = words.length === 1 ? TOPICS[words[0]!] : undefined;
    if (topic) {
      await ctx.f.output().raw(topic());
      return 0;
    }
    // A command path: the same help as `<path> --help`, from the same program.
    const { main } = await import('../../src/main.js');
    return main([...words, '--help'], { io: ctx.f.io });
  },
};
