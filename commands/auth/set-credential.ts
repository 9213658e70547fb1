import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { readSecretFromStdin } from '../../src/core/read-input.js';
import { CREDENTIAL_SERVICES, type CredentialService } from '../../src/config/credentials.js';
import { validateSecretRef } from '../../src/config/secret-ref.js';

const WHAT: Record<CredentialService, string> = {
  hawkbit: 'hawkBit user and password (Basic auth of the Management API)',
  thingsboard: 'ThingsBoard tenant-admin user and password',
  rabbitmq: 'RabbitMQ management user and password',
  stepca: 'step-ca provisioner password (decrypts the provisioner key)',
  keycloak: 'Keycloak confidential client id and secret',
};

function service(ctx: CommandContext): CredentialService {
  return String(ctx.args.service) as CredentialService;
}

export const setCredential: MutatingVerb = {
  name: 'set-credential',
  summary: 'Store a service credential for the context (secret from stdin, or a reference)',
  description: `Store a credential in the 0600 credential store of the context. The secret is read from stdin (piped, or typed hidden on a terminal) or stored as a reference resolved when needed: env:VAR, file:PATH, cmd:COMMAND. Services: ${CREDENTIAL_SERVICES.map((s) => `${s} (${WHAT[s]})`).join('; ')}.`,
  args: [{ name: 'service', description: CREDENTIAL_SERVICES.join(', '), required: true, choices: CREDENTIAL_SERVICES }],
  flags: [
    { flags: '--username <name>', description: 'user, client id or provisioner name' },
    { flags: '--ref <reference>', description: 'store env:VAR, file:PATH or cmd:COMMAND instead of a value' },
  ],
  examples: [
    { command: 'printf %s "$HB_PASSWORD" | cdm auth set-credential hawkbit --username admin', description: 'from a pipe' },
    { command: 'cdm auth set-credential stepca --username iot-bridge --ref file:/run/secrets/provisioner', description: 'a reference, read when needed' },
    { command: 'cdm auth set-credential rabbitmq --username admin --ref cmd:"pass show cdm/rabbitmq"', description: 'from a password manager' },
  ],
  mutates: true,
  async plan(ctx) {
    const context = await ctx.f.context();
    if (ctx.flags.ref !== undefined) validateSecretRef(String(ctx.flags.ref));
    return {
      summary: `store the ${service(ctx)} credential of context ${context.name}`,
      steps: [{ action: 'store', target: `${service(ctx)} credential`, details: { context: context.name, ...(ctx.flags.username ? { username: ctx.flags.username } : {}), source: ctx.flags.ref ? 'reference' : 'stdin' } }],
    };
  },
  async run(ctx) {
    const context = await ctx.f.context();
    const svc = service(ctx);
    let secret: string;
    if (ctx.flags.ref !== undefined) secret = validateSecretRef(String(ctx.flags.ref));
    else if (ctx.f.io.stdin.isTTY) {
      secret = await ctx.f.prompter().password(`${WHAT[svc]} — secret:`, { flag: '--ref, or pipe the secret on stdin' });
      if (secret === '') throw new UsageError('an empty secret was entered; nothing was stored');
    } else secret = await readSecretFromStdin(ctx.f.io, 'stdin');
    const username = ctx.flags.username === undefined ? {} : { username: String(ctx.flags.username) };
    (await ctx.f.credentials()).setService(context.name, svc, { ...username, secret });
    ctx.f.output().note(`Stored the ${svc} credential of context ${context.name} in ${ctx.f.paths.credentialsFile}.`);
  },
};
