import type { ReadVerb } from '../../src/core/command-spec.js';
import { AuthError } from '../../src/core/errors.js';

export const status: ReadVerb = {
  name: 'status',
  summary: 'Show who is logged in on the context, with roles and token expiry',
  examples: [
    { command: 'cdm auth status', description: 'the active context' },
    { command: 'cdm auth status --context local-provider -o json', description: 'as data; exit 4 when not logged in' },
  ],
  mutates: false,
  async run(ctx) {
    const context = await ctx.f.context();
    const tokens = (await ctx.f.credentials()).tokens(context.name);
    if (!tokens) throw new AuthError(`not logged in on context "${context.name}"`, { hint: `run \`cdm auth login --context ${context.name}\`` });
    const { authStatus, AUTH_STATUS_VIEW } = await import('../../src/auth/status.js');
    await ctx.f.output().item('AuthStatus', authStatus(context.name, context.keycloak?.realm ?? '', tokens, ctx.f.clock(), ctx.f.paths.credentialsFile), AUTH_STATUS_VIEW);
  },
};
