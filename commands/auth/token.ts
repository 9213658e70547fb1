import type { ReadVerb } from '../../src/core/command-spec.js';

export const token: ReadVerb = {
  name: 'token',
  summary: 'Print a valid access token for the context (refreshed if needed)',
  examples: [
    { command: 'curl -H "Authorization: Bearer $(cdm auth token)" https://cdm.example.com/api/portal/admin/tenants', description: 'call an API by hand' },
    { command: 'cdm auth token -o json', description: 'with its expiry' },
  ],
  mutates: false,
  async run(ctx) {
    const session = await ctx.f.session();
    const accessToken = await session.accessToken();
    const out = ctx.f.output();
    if (out.machine) await out.item('AccessToken', { accessToken, expiresAt: new Date(session.current()!.expiresAt).toISOString() });
    else await out.raw(accessToken);
  },
};
