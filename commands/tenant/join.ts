import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { outputPath, parseDuration, parseInterval } from '../../src/core/parse.js';

interface JoinFlags {
  providerUrl: string;
  joinKeyStdin?: boolean;
  joinKeyFile?: string;
  displayName?: string;
  keycloakUrl?: string;
  out?: string;
  request?: boolean;
  wait?: boolean;
  poll?: number;
  waitTimeout?: number;
  providerRoot?: string;
}

/** Flag combinations, checked before anything is read or sent. */
function check(ctx: CommandContext): JoinFlags {
  const fl = ctx.flags as unknown as JoinFlags;
  let url: URL;
  try {
    url = new URL(fl.providerUrl);
  } catch {
    throw new UsageError(`--provider-url "${fl.providerUrl}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--provider-url "${fl.providerUrl}" must be http(s)`);
  if (fl.request) {
    if (fl.joinKeyStdin || fl.joinKeyFile) throw new UsageError('--request files a join request for approval; it takes no join key');
  } else {
    if (fl.joinKeyStdin && fl.joinKeyFile) throw new UsageError('pass the join key one way: --join-key-stdin or --join-key-file');
    if (!fl.joinKeyStdin && !fl.joinKeyFile) throw new UsageError('the join key is missing: pipe it with --join-key-stdin or name a file with --join-key-file (never in argv), or use --request for the approval flow');
    if (fl.wait) throw new UsageError('--wait belongs to --request');
  }
  return fl;
}

async function readKey(ctx: CommandContext, fl: JoinFlags): Promise<string> {
  const { readSecretFromStdin } = await import('../../src/core/read-input.js');
  let key: string;
  if (fl.joinKeyStdin) key = await readSecretFromStdin(ctx.f.io, '--join-key-stdin');
  else {
    const { readFile } = await import('node:fs/promises');
    try {
      key = (await readFile(fl.joinKeyFile!, 'utf8')).split(/\r?\n/)[0] ?? '';
    } catch (err) {
      throw new UsageError(`cannot read --join-key-file ${fl.joinKeyFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  key = key.trim();
  if (!key) throw new UsageError('the join key is empty');
  if (!/^[A-Za-z0-9-]{8,128}$/.test(key)) throw new UsageError('the join key is malformed (expected XXXX-XXXX-XXXX-XXXX)');
  return key;
}

export const join: MutatingVerb = {
  name: 'join',
  summary: 'Join this tenant stack to a provider: Sub-CA, MQTT bridge, WireGuard, federation',
  description: 'Tenant side, for the tenant of the active (tenant) context. Generates here the Sub-CA EC P-256 key and CSR, the MQTT-bridge key and CSR (CN <id>-mqtt-bridge) and a WireGuard key pair, saves them 0600 in --out before sending anything, then redeems the join key (POST /portal/admin/join, key in the X-Join-Key header, read from stdin or a file — never argv). The answer is verified before anything is installed: the Sub-CA certificate carries our key, is a CA and chains to the returned issuing CA (and to --provider-root when given); the MQTT certificate carries its key. The bundle (certificates, keys 0600, rabbitmq.env, keycloak-federation.env) is written to --out; the Sub-CA is installed into the tenant step-ca of a local sandbox (and the running emulator reloads it) or cdm prints which file goes where; the provider is registered as identity provider cdm-provider in the tenant realm (idempotent). --request files a legacy join request instead; --wait polls until the provider approves (exit 8 when --wait-timeout runs out, exit 5 when rejected); re-running collects a pending request with the same keys, and re-running a finished join only checks the installation and the identity provider again (nothing is sent to the bridge).',
  flags: [
    { flags: '--provider-url <url>', description: 'the provider bridge (what `cdm tenant prepare` printed)', required: true },
    { flags: '--join-key-stdin', description: 'read the join key from stdin' },
    { flags: '--join-key-file <file>', description: 'read the join key from this file (first line)', complete: 'files' },
    { flags: '--display-name <name>', description: 'tenant name for a join request (default: the id)' },
    { flags: '--keycloak-url <url>', description: 'the tenant Keycloak as the provider should redirect to (default: the context\'s)' },
    { flags: '--out <dir>', description: 'bundle directory (default: $CDM_STATE_DIR/tenants/<id>/join-bundle)', complete: 'files', parse: outputPath('--out', 'the join bundle is a directory of files') },
    { flags: '--provider-root <file>', description: 'the provider root CA (PEM): verify up to it and install it as the tenant CA\'s root', complete: 'files' },
    { flags: '--request', description: 'legacy flow: file a join request for the provider to approve' },
    { flags: '--wait', description: 'with --request: wait for the approval (spinner), then install' },
    { flags: '--poll <duration>', description: 'with --wait: interval between status checks', default: '5s', parse: parseInterval },
    { flags: '--wait-timeout <duration>', description: 'with --wait: give up after this long (exit 8)', default: '10m', parse: (v) => parseDuration(v, '--wait-timeout') },
  ],
  examples: [
    { command: 'cdm tenant join --provider-url https://cdm.example.com/api --join-key-stdin --context acme < acme.key', description: 'key handshake' },
    { command: 'cdm tenant join --provider-url http://127.0.0.1:18403 --join-key-file acme.key --context local-acme -o json', description: 'against the sandbox provider, result as data' },
    { command: 'cdm tenant join --provider-url https://cdm.example.com/api --request --wait --poll 10s --context acme', description: 'legacy: ask for approval and wait' },
  ],
  mutates: true,
  async plan(ctx) {
    const fl = check(ctx);
    const context = await ctx.f.context();
    const id = context.tenant ?? '<tenant of the context>';
    return {
      summary: `join tenant ${id} to the provider at ${fl.providerUrl}${fl.request ? ' (join request)' : ''}`,
      steps: [
        { action: 'generate', target: `Sub-CA key + CSR, MQTT-bridge key + CSR (CN ${id}-mqtt-bridge), WireGuard key pair`, details: { out: fl.out ?? `$CDM_STATE_DIR/tenants/${id}/join-bundle` } },
        fl.request
          ? { action: 'request', target: `join of ${id}${fl.wait ? ', then wait for approval' : ''}`, service: 'bridge' }
          : { action: 'redeem', target: 'the join key (X-Join-Key)', service: 'bridge' },
        { action: 'verify', target: 'Sub-CA and MQTT-bridge certificates against our keys and the provider chain' },
        { action: 'write', target: 'bundle: certificates, keys (0600), rabbitmq.env, keycloak-federation.env' },
        { action: 'install', target: context.sandbox ? `the Sub-CA into the sandbox step-ca of ${id} (reload)` : 'print where the Sub-CA files go in the tenant step-ca', service: 'step-ca' },
        { action: 'register', target: `identity provider cdm-provider in realm ${context.keycloak?.realm ?? id}`, service: 'keycloak' },
      ],
    };
  },
  async run(ctx) {
    const fl = check(ctx);
    const key = fl.request ? undefined : await readKey(ctx, fl);
    const { readFileSync } = await import('node:fs');
    let providerRootPem: string | undefined;
    if (fl.providerRoot) {
      try {
        providerRootPem = readFileSync(fl.providerRoot, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read --provider-root ${fl.providerRoot}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    const { joinTenant } = await import('../../src/workflows/tenant/join.js');
    const { renderJoin } = await import('./render.js');
    const r = await joinTenant(ctx.f, {
      providerUrl: fl.providerUrl.replace(/\/+$/, ''), ...(key ? { key } : {}), request: fl.request === true, wait: fl.wait === true,
      ...(fl.poll !== undefined ? { pollMs: fl.poll } : {}), ...(fl.waitTimeout !== undefined ? { waitMs: fl.waitTimeout } : {}),
      ...(fl.displayName ? { displayName: fl.displayName } : {}), ...(fl.keycloakUrl ? { keycloakUrl: fl.keycloakUrl } : {}),
      ...(fl.out ? { out: fl.out } : {}), ...(providerRootPem ? { providerRootPem } : {}),
    });
    return renderJoin(ctx.f, r);
  },
};
