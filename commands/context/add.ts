import { resolve } from 'node:path';
import type { CommandContext, MutatingVerb, PlanStep } from '../../src/core/command-spec.js';
import { parseName } from '../../src/core/parse.js';
import { CONTEXT_KINDS, SERVICE_NAMES, type ContextSpec } from '../../src/config/context-spec.js';
import { validateContextSpec } from '../../src/config/context-validate.js';
import { OUTPUT_FORMATS } from '../../src/config/settings.js';
import { CONTEXT_VIEW, contextItem } from './view.js';

/**
 * Files named relative to where `context add` ran: stored absolute, since the context is used from
 * any directory (a relative CA bundle would otherwise be looked up wherever cdm runs next).
 */
function absolute(file: string | boolean | undefined): string | boolean | undefined {
  // An empty value is left for the validation to refuse.
  return typeof file === 'string' && file.trim() !== '' ? resolve(file) : file;
}

function specFromFlags(ctx: CommandContext): ContextSpec {
  const fl = ctx.flags as Record<string, string | boolean | undefined>;
  const raw: Record<string, unknown> = { type: fl.kind, tenant: fl.tenant, production: fl.production === true ? true : undefined, caFile: absolute(fl.caBundle) };
  for (const service of SERVICE_NAMES) {
    const url = fl[`${service}Url`];
    if (url !== undefined) raw[service] = { url };
  }
  if (raw.keycloak) Object.assign(raw.keycloak as object, { realm: fl.realm, clientId: fl.clientId });
  else if (fl.realm !== undefined) raw.keycloak = { url: '', realm: fl.realm };
  if (raw.stepca) Object.assign(raw.stepca as object, { fingerprint: fl.stepcaFingerprint, provisioner: fl.stepcaProvisioner });
  if (fl.clientCert !== undefined || fl.clientKey !== undefined) raw.clientCert = { certFile: absolute(fl.clientCert), keyFile: absolute(fl.clientKey) };
  if (fl.sshJump !== undefined) raw.ssh = { jump: fl.sshJump };
  if (fl.defaultOutput !== undefined || fl.defaultTimeout !== undefined || fl.defaultRateLimit !== undefined) {
    raw.defaults = { output: fl.defaultOutput, timeout: fl.defaultTimeout, rateLimit: fl.defaultRateLimit };
  }
  return validateContextSpec(JSON.parse(JSON.stringify(raw)), 'context');
}

export const add: MutatingVerb = {
  name: 'add',
  summary: 'Add a context: the endpoints of one provider or tenant stack',
  args: [{ name: 'name', description: 'context name', required: true }],
  flags: [
    { flags: '--kind <kind>', description: 'provider or tenant', choices: CONTEXT_KINDS, required: true },
    { flags: '--tenant <id>', description: 'tenant id (required for tenant contexts)' },
    { flags: '--keycloak-url <url>', description: 'Keycloak base URL (with /auth if the server uses it)' },
    { flags: '--realm <realm>', description: 'Keycloak realm (default: cdm for provider, the tenant id for tenant)' },
    { flags: '--client-id <id>', description: 'OIDC client for `cdm auth login` (default cdm-cli)' },
    { flags: '--stepca-url <url>', description: 'step-ca URL' },
    { flags: '--stepca-fingerprint <sha256>', description: 'pinned root certificate fingerprint' },
    { flags: '--stepca-provisioner <name>', description: 'JWK provisioner used for signing' },
    { flags: '--hawkbit-url <url>', description: 'hawkBit URL' },
    { flags: '--thingsboard-url <url>', description: 'ThingsBoard URL' },
    { flags: '--bridge-url <url>', description: 'iot-bridge-api URL' },
    { flags: '--rabbitmq-url <url>', description: 'RabbitMQ management URL' },
    { flags: '--ssh-jump <user@host>', description: 'SSH jump host for `cdm debug ssh`' },
    { flags: '--ca-bundle <pem>', description: 'CA bundle trusted for this context', complete: 'files' },
    { flags: '--client-cert <pem>', description: 'mTLS client certificate for this context', complete: 'files' },
    { flags: '--client-key <pem>', description: 'private key of --client-cert', complete: 'files' },
    { flags: '--production', description: 'mark as production (refuses --insecure)' },
    { flags: '--default-output <format>', description: 'default output format for this context', choices: OUTPUT_FORMATS },
    { flags: '--default-timeout <duration>', description: 'default --timeout for this context' },
    { flags: '--default-rate-limit <n>', description: 'client-side requests per second for this context (default 50; 0 = none; CDM_RATE_LIMIT overrides)' },
    { flags: '--use', description: 'make it the current context' },
    { flags: '--overwrite', description: 'replace an existing context of that name' },
  ],
  examples: [
    { command: 'cdm context add prod-provider --kind provider --keycloak-url https://cdm.example.com/auth --stepca-url https://ca.example.com:9000 --bridge-url https://cdm.example.com/api --production', description: 'a provider stack behind a reverse proxy' },
    { command: 'cdm context add acme --kind tenant --tenant acme --hawkbit-url https://acme.example.com/hawkbit --thingsboard-url https://acme.example.com:9090 --use', description: 'a tenant stack, made current' },
  ],
  mutates: true,
  async plan(ctx) {
    const name = parseName(String(ctx.args.name), 'context name');
    const spec = specFromFlags(ctx);
    const steps: PlanStep[] = [{ action: ctx.flags.overwrite ? 'write' : 'add', target: `context ${name}`, details: { type: spec.type, ...(spec.tenant ? { tenant: spec.tenant } : {}) } }];
    if (ctx.flags.use) steps.push({ action: 'use', target: `context ${name}` });
    return { summary: `add context ${name}`, steps };
  },
  async run(ctx) {
    const name = parseName(String(ctx.args.name), 'context name');
    const spec = specFromFlags(ctx);
    const store = await ctx.f.contexts();
    store.add(name, spec, { overwrite: ctx.flags.overwrite === true });
    if (ctx.flags.use) store.use(name);
    const out = ctx.f.output();
    await out.item('Context', contextItem(store.get(name), store.current), CONTEXT_VIEW);
    if (!ctx.flags.use && store.current !== name) out.note(`Use it with: cdm context use ${name}`);
  },
};
