import type { CommandContext, MutatingVerb, Plan } from '../../src/core/command-spec.js';
import { outputPath } from '../../src/core/parse.js';
import { tenantIdArg } from './options.js';

interface Resolved { id: string; providerContext: string; tenantContext: string; displayName?: string; out?: string; wizard: boolean }

const RESOLVED = Symbol('resolved');

/** Arguments from flags; on a terminal, the missing ones from a short wizard (asked once per run). */
async function resolve(ctx: CommandContext): Promise<Resolved> {
  const cache = ctx as CommandContext & { [RESOLVED]?: Resolved };
  if (cache[RESOLVED]) return cache[RESOLVED];
  const fl = ctx.flags as { providerContext?: string; tenantContext?: string; displayName?: string; out?: string };
  const given = ctx.args.id === undefined ? undefined : tenantIdArg(ctx.args.id);
  const p = ctx.f.prompter();
  const store = await ctx.f.contexts();
  let wizard = false;
  const id = given ?? (wizard = true, tenantIdArg(await p.input('Tenant id', { flag: '<id>', validate: (v) => { try { tenantIdArg(v); return true; } catch (e) { return (e as Error).message; } } })));
  const pick = async (kind: 'provider' | 'tenant', flag: string): Promise<string> => {
    const choices = store.list().filter((c) => c.type === kind && (kind === 'provider' || c.tenant === id)).map((c) => ({ value: c.name, name: c.name, description: kind === 'provider' ? c.bridge?.url ?? '' : `tenant ${c.tenant}` }));
    wizard = true;
    return p.select(`${kind === 'provider' ? 'Provider' : 'Tenant'} context`, choices, { flag });
  };
  const providerContext = fl.providerContext ?? (await pick('provider', '--provider-context'));
  const tenantContext = fl.tenantContext ?? (await pick('tenant', '--tenant-context'));
  const displayName = fl.displayName ?? (wizard ? (await p.input('Display name', { flag: '--display-name', default: id })) : undefined);
  const r: Resolved = { id, providerContext, tenantContext, wizard, ...(displayName ? { displayName } : {}), ...(fl.out ? { out: fl.out } : {}) };
  cache[RESOLVED] = r;
  return r;
}

function planOf(r: Resolved): Plan {
  return {
    summary: `onboard tenant ${r.id}: provider ${r.providerContext}, tenant ${r.tenantContext}`,
    steps: [
      { action: 'prepare', target: `a join key for ${r.id}${r.displayName ? ` (${r.displayName})` : ''} (skipped when already joined)`, service: `bridge of ${r.providerContext}` },
      { action: 'join', target: `tenant ${r.id} with keys made here (Sub-CA, MQTT bridge, WireGuard)`, service: `bridge of ${r.providerContext}` },
      { action: 'install', target: `the Sub-CA into the step-ca of ${r.tenantContext}`, service: 'step-ca' },
      { action: 'register', target: `identity provider cdm-provider in the realm of ${r.tenantContext}`, service: 'keycloak' },
    ],
  };
}

export const onboard: MutatingVerb = {
  name: 'onboard',
  summary: 'Prepare and join a tenant in one go, holding both the provider and the tenant context',
  description: 'Runs `cdm tenant prepare` on --provider-context and `cdm tenant join` on --tenant-context at once (the key never leaves this process), verifying the Sub-CA up to the root the provider context pins and installing that root into the tenant CA. Re-running finds the finished join (bundle and bridge agree on the Sub-CA) and only re-checks the installation and the identity provider: nothing is prepared or signed twice. On a terminal, missing arguments are asked in a short wizard that shows the plan before acting; elsewhere they are exit 2 naming the flag.',
  args: [{ name: 'id', description: 'tenant id (asked on a terminal when omitted)' }],
  flags: [
    { flags: '--provider-context <name>', description: 'the provider context (bridge, step-ca, Keycloak cdm realm)', complete: 'contexts' },
    { flags: '--tenant-context <name>', description: 'the tenant context of <id> (step-ca, tenant realm)', complete: 'contexts' },
    { flags: '--display-name <name>', description: 'human name of the tenant (default: the id)' },
    { flags: '--out <dir>', description: 'bundle directory (default: $CDM_STATE_DIR/tenants/<id>/join-bundle)', complete: 'files', parse: outputPath('--out', 'the join bundle is a directory of files') },
  ],
  examples: [
    { command: 'cdm tenant onboard acme --provider-context local-provider --tenant-context local-acme', description: 'the sandbox tenant, both sides' },
    { command: 'cdm tenant onboard', description: 'on a terminal: a wizard asks for the tenant and the contexts, shows the plan, then acts' },
    { command: 'cdm tenant onboard acme --provider-context prod-provider --tenant-context acme -o json', description: 'in a script, result as data' },
  ],
  mutates: true,
  async plan(ctx) {
    return planOf(await resolve(ctx));
  },
  async run(ctx) {
    const r = await resolve(ctx);
    if (r.wizard) {
      const { confirmOrdinary } = await import('../../src/core/confirm.js');
      await confirmOrdinary(ctx.f, planOf(r));
    }
    const { onboardTenant } = await import('../../src/workflows/tenant/onboard.js');
    const { renderJoin } = await import('./render.js');
    const res = await onboardTenant(ctx.f, { tenantId: r.id, providerContext: r.providerContext, tenantContext: r.tenantContext, ...(r.displayName ? { displayName: r.displayName } : {}), ...(r.out ? { out: r.out } : {}) });
    const code = await renderJoin(ctx.f, res, 'TenantOnboard');
    if (!ctx.f.output().machine) ctx.f.output().note(res.steps.map((s) => `${s.step}: ${s.outcome}${s.detail ? ` (${s.detail})` : ''}`).join('\n'));
    return code;
  },
};
