import type { MutatingVerb } from '../../src/core/command-spec.js';

export const logout: MutatingVerb = {
  name: 'logout',
  summary: 'End the Keycloak session of the context and delete its stored tokens',
  examples: [
    { command: 'cdm auth logout', description: 'log out of the active context' },
    { command: 'cdm auth logout --context acme --dry-run', description: 'show what would happen' },
  ],
  mutates: true,
  async plan(ctx) {
    const context = await ctx.f.context();
    const tokens = (await ctx.f.credentials()).tokens(context.name);
    const steps = [];
    if (tokens?.refreshToken && tokens.endSessionEndpoint) steps.push({ action: 'end session', target: `realm ${context.keycloak?.realm ?? '?'}`, service: 'keycloak' });
    steps.push({ action: 'delete', target: `stored tokens of context ${context.name}` });
    return { summary: `log out of context ${context.name}`, steps };
  },
  async run(ctx) {
    const { logout: doLogout } = await import('../../src/auth/logout.js');
    const result = await doLogout(ctx.f);
    const out = ctx.f.output();
    if (out.machine) await out.item('Logout', result);
    else out.note(result.sessionEnded ? `Logged out of context ${result.context}.` : `Removed the stored tokens of context ${result.context}.`);
    // Without this the operator would think the context can no longer act: it still can.
    const client = (await ctx.f.credentials()).service(result.context, 'keycloak')?.username;
    if (client !== undefined) out.note(`The stored client credential "${client}" still logs in by itself on the next command.`);
  },
};
