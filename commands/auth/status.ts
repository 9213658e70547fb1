import type { ReadVerb } from '../../src/core/command-spec.js';
import { AuthError } from '../../src/core/errors.js';

export const status: ReadVerb = {
  name: 'status',
  summary: 'Show who is logged in on the context, with roles and token expiry',
  description: 'Show the stored login session of the context: user or client, roles, and when its tokens expire. A context without a session but with a stored Keycloak client credential (written by `cdm stack up`, or `cdm auth set-credential keycloak`) logs in with it first, as any other command would, so the status shows who the next command acts as. Exit 4 when the context has neither.',
  examples: [
    { command: 'cdm auth status', description: 'the active context' },
    { command: 'cdm auth status --context local-provider -o json', description: 'as data; exit 4 when not logged in' },
  ],
  mutates: false,
  async run(ctx) {
    const context = await ctx.f.context();
    const credentials = await ctx.f.credentials();
    let tokens = credentials.tokens(context.name);
    const client = credentials.service(context.name, 'keycloak')?.username;
    if (!tokens && client !== undefined) {
      // Saying "not logged in" here would be wrong: the next command logs in by itself with this
      // credential. Logging in now also proves the stored secret still works.
      await (await ctx.f.session()).accessToken();
      tokens = credentials.tokens(context.name);
      ctx.f.output().note(`Logged in with the stored client credential "${client}" (no session was stored).`);
    }
    if (!tokens) throw new AuthError(`not logged in on context "${context.name}"`, { hint: `run \`cdm auth login --context ${context.name}\`` });
    const { authStatus, AUTH_STATUS_VIEW } = await import('../../src/auth/status.js');
    await ctx.f.output().item('AuthStatus', authStatus(context.name, context.keycloak?.realm ?? '', tokens, ctx.f.clock(), ctx.f.paths.credentialsFile), AUTH_STATUS_VIEW);
  },
};
