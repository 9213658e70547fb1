// `cdm tenant onboard <id>`: both sides of the JOIN in one command when the operator holds a
// provider and a tenant context — prepare a key at the provider bridge and redeem it at once from
// the tenant side (the key never leaves this process), with the provider root (pinned by the
// provider context) anchoring the verification and installed into the tenant CA. A re-run finds
// the finished bundle and the bridge's record of the same Sub-CA, skips prepare and join, and
// only re-checks the installation and the identity provider (which then change nothing).
import { ConflictError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { NamedContext } from '../../config/context-spec.js';
import { BridgeAdmin } from '../../services/bridge/tenants.js';
import { readBundleState } from './bundle.js';
import { defaultBundleDir, joinTenant, resumeJoin, type JoinResult } from './join.js';
import { factoryFor } from './scope.js';
import { providerRoots } from './show.js';

export interface OnboardOptions {
  tenantId: string;
  providerContext: string;
  tenantContext: string;
  displayName?: string;
  out?: string;
}

export interface OnboardResult extends JoinResult {
  providerContext: string;
  tenantContext: string;
  steps: Array<{ step: 'prepare' | 'join' | 'install' | 'identity-provider'; outcome: string; detail?: string }>;
}

/** Both contexts exist, are of the right kind, and the tenant context is this tenant's. */
export async function checkContexts(f: Factory, o: OnboardOptions): Promise<{ provider: NamedContext; tenant: NamedContext }> {
  const store = await f.contexts();
  const provider = store.get(o.providerContext);
  const tenant = store.get(o.tenantContext);
  if (provider.type !== 'provider') throw new UsageError(`--provider-context ${provider.name} is a ${provider.type} context`);
  if (tenant.type !== 'tenant') throw new UsageError(`--tenant-context ${tenant.name} is a ${tenant.type} context`);
  if (tenant.tenant !== o.tenantId) throw new UsageError(`--tenant-context ${tenant.name} belongs to tenant "${tenant.tenant ?? '?'}", not "${o.tenantId}"`);
  if (!provider.bridge?.url) throw new UsageError(`context "${provider.name}" has no bridge URL`);
  return { provider, tenant };
}

export async function onboardTenant(f: Factory, o: OnboardOptions): Promise<OnboardResult> {
  const { tenant } = await checkContexts(f, o);
  const pf = factoryFor(f, o.providerContext);
  const tf = factoryFor(f, o.tenantContext);
  try {
    const bridge = await BridgeAdmin.open(pf);
    const rootPem = (await providerRoots(pf)).join('');
    const out = o.out ?? defaultBundleDir(f, o.tenantId);
    // The register only tells a resumed run from a new one: upstream's bridge has none (405), and
    // then the bundle on this machine alone says whether the join happened.
    const register = await bridge.tenantRegister();
    const record = 'tenants' in register ? register.tenants.find((t) => t.tenant_id === o.tenantId) : undefined;
    const bundle = readBundleState(out);
    const joinedAtBridge = record?.join_state === 'joined' || record?.join_state === 'approved';
    const ctxInfo = { providerContext: o.providerContext, tenantContext: o.tenantContext };
    const confirmed = 'missing' in register || (joinedAtBridge && bundle?.subCaSerial === record?.sub_ca_serial);

    if (bundle?.status === 'joined' && confirmed) {
      const r = await resumeJoin(tf, tenant, out, bundle, rootPem);
      const unconfirmed = 'missing' in register ? '; this bridge keeps no tenant register to confirm it' : '';
      return {
        ...r, ...ctxInfo,
        steps: [
          { step: 'prepare', outcome: 'skipped', detail: `already joined (Sub-CA serial ${bundle.subCaSerial})${unconfirmed}` },
          { step: 'join', outcome: 'skipped', detail: `bundle in ${out}` },
          { step: 'install', outcome: r.install?.outcome ?? 'skipped' },
          { step: 'identity-provider', outcome: r.identityProvider?.outcome ?? 'skipped' },
        ],
      };
    }
    if (joinedAtBridge) {
      throw new ConflictError(`tenant ${o.tenantId} has already joined the provider (Sub-CA serial ${record?.sub_ca_serial ?? 'unknown'}), but ${out} holds no bundle of that join`, {
        hint: `point --out at the bundle of that join, or offboard first: cdm tenant offboard ${o.tenantId} --context ${o.providerContext}`,
      });
    }
    const prepared = await bridge.prepare(o.tenantId, o.displayName ?? record?.display_name ?? o.tenantId);
    const r = await joinTenant(tf, { providerUrl: bridge.url, key: prepared.join_key, providerRootPem: rootPem, out, ...(o.displayName ? { displayName: o.displayName } : {}) });
    return {
      ...r, ...ctxInfo,
      steps: [
        { step: 'prepare', outcome: 'done', detail: `key expires ${prepared.expires_at} (used at once)` },
        { step: 'join', outcome: 'done', detail: `Sub-CA serial ${r.subCa?.serial ?? '?'}` },
        { step: 'install', outcome: r.install?.outcome ?? 'skipped' },
        { step: 'identity-provider', outcome: r.identityProvider?.outcome ?? 'skipped' },
      ],
    };
  } finally {
    await Promise.all([pf.close(), tf.close()]);
  }
}
