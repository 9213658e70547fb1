import type { CommandContext, ReadVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { readSecretFromStdin } from '../../src/core/read-input.js';
import type { LoginRequest } from '../../src/auth/login.js';

/** Works out the grant from the flags, reading secrets from stdin; nothing is sent yet. */
async function loginRequest(ctx: CommandContext): Promise<LoginRequest> {
  const fl = ctx.flags as { username?: string; passwordStdin?: boolean; clientId?: string; clientSecretStdin?: boolean; device?: boolean; scope?: string };
  const scope = fl.scope ? { scope: fl.scope } : {};
  const chosen = [fl.username !== undefined || fl.passwordStdin, fl.clientSecretStdin, fl.device].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('choose one login method: --device, --username/--password-stdin, or --client-id/--client-secret-stdin');
  if (fl.clientSecretStdin) {
    if (!fl.clientId) throw new UsageError('--client-secret-stdin needs --client-id <id>');
    return { grant: 'client_credentials', clientId: fl.clientId, clientSecret: await readSecretFromStdin(ctx.f.io, '--client-secret-stdin'), ...scope };
  }
  const clientId = fl.clientId ? { clientId: fl.clientId } : {};
  if (fl.passwordStdin && fl.username === undefined) throw new UsageError('--password-stdin needs --username <name>');
  if (fl.username !== undefined) {
    const password = fl.passwordStdin
      ? await readSecretFromStdin(ctx.f.io, '--password-stdin')
      : await ctx.f.prompter().password(`Password for ${fl.username}:`, { flag: '--password-stdin' });
    return { grant: 'password', username: fl.username, password, ...clientId, ...scope };
  }
  const prompter = ctx.f.prompter();
  if (!fl.device && !prompter.interactive) {
    throw new UsageError('no login method given and no terminal for the device login', {
      hint: 'pass --username <name> --password-stdin, --client-id <id> --client-secret-stdin (CI), or --device',
    });
  }
  return { grant: 'device_code', ...clientId, ...scope };
}

export const login: ReadVerb = {
  name: 'login',
  summary: 'Log in to the context\'s Keycloak realm (device code, password or client credentials)',
  description: 'Log in to the Keycloak realm of the context. On a terminal the default is the device authorization grant: cdm prints a code and a URL to open in any browser. Scripts use --username with --password-stdin (direct grant), CI uses --client-id with --client-secret-stdin (client credentials). Tokens are stored in the 0600 credential store and refreshed ahead of expiry.',
  flags: [
    { flags: '--device', description: 'device authorization grant (default on a terminal)' },
    { flags: '--username <name>', description: 'direct grant as this user (password prompted, or --password-stdin)' },
    { flags: '--password-stdin', description: 'read the password from stdin' },
    { flags: '--client-id <id>', description: 'OIDC client (default: the context\'s, else cdm-cli)' },
    { flags: '--client-secret-stdin', description: 'client credentials grant; read the secret from stdin' },
    { flags: '--scope <scopes>', description: 'extra OAuth scopes, space-separated (openid is always requested)' },
  ],
  examples: [
    { command: 'cdm auth login', description: 'device login: open the printed URL and enter the code' },
    { command: 'printf %s "$CDM_PASSWORD" | cdm auth login --username operator --password-stdin', description: 'direct grant in a script' },
    { command: 'printf %s "$CI_SECRET" | cdm auth login --client-id cdm-ci --client-secret-stdin', description: 'client credentials in CI' },
  ],
  mutates: false,
  async run(ctx) {
    const request = await loginRequest(ctx);
    const { login: doLogin } = await import('../../src/auth/login.js');
    const { authStatus, AUTH_STATUS_VIEW } = await import('../../src/auth/status.js');
    const tokens = await doLogin(ctx.f, request, ctx.f.sleep);
    const context = await ctx.f.context();
    const status = authStatus(context.name, context.keycloak!.realm, tokens, ctx.f.clock(), ctx.f.paths.credentialsFile);
    const out = ctx.f.output();
    if (out.machine) await out.item('AuthStatus', status, AUTH_STATUS_VIEW);
    else out.note(`Logged in to realm ${status.realm} as ${status.user ?? status.clientId} (context ${status.context}).`);
  },
};
