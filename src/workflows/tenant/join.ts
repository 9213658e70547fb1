// `cdm tenant join` (tenant side of cdm-platform.md §2.2, without its §10.2 flaws): keys and CSRs
// made here and saved 0600 before anything is sent; the key handshake or the legacy
// request/approve flow; the answer verified (keys, CA flag, chains) before anything is installed;
// the bundle written; the Sub-CA installed into the tenant step-ca (or instructions for a remote
// one); the provider registered as identity provider `cdm-provider` in the tenant realm.
import { join } from 'node:path';
import type { NamedContext } from '../../config/context-spec.js';
import { ConflictError, PendingError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { discoverRealm } from '../../auth/discovery.js';
import type { HttpClient } from '../../http/types.js';
import { fileJoinRequest, joinStatus, joinWithKey, type JoinBundle, type JoinSubmission } from '../../services/bridge/join.js';
import { checkTenantId } from '../../services/bridge/tenants.js';
import { ensureIdp, providerEndpoints, providerIdp, PROVIDER_IDP_ALIAS, realmAdmin } from '../../services/keycloak/federation.js';
import { BUNDLE_FILES, readBundleState, readFederationEnv, readMaterial, writeAnswer, writeBundleState, writeMaterial, type BundleState } from './bundle.js';
import { installSubCa, type InstallResult } from './install.js';
import { makeJoinMaterial, verifyBundle, type JoinMaterial } from './material.js';

export interface JoinOptions {
  providerUrl: string;
  /** The join key (key flow); undefined with `request`. */
  key?: string;
  request?: boolean;
  wait?: boolean;
  pollMs?: number;
  /** How long --wait waits (exit 8 when it runs out). */
  waitMs?: number;
  displayName?: string;
  keycloakUrl?: string;
  out?: string;
  /** The provider root CA (PEM), when known: the chain is then verified up to it and installed. */
  providerRootPem?: string;
}

export interface JoinResult {
  tenantId: string;
  status: 'joined' | 'pending';
  method: 'key' | 'request';
  providerUrl: string;
  out: string;
  subCa: { serial: string; subject: string; issuer: string; notAfter: string; chainValid: boolean; root: string } | null;
  mqttBridgeCert: { serial: string; subject: string; notAfter: string } | null;
  rabbitmq: { url: string; vhost: string; user: string } | null;
  files: Record<string, string>;
  install: InstallResult | null;
  identityProvider: { alias: string; realm: string; outcome: 'created' | 'updated' | 'unchanged' } | { alias: string; outcome: 'skipped'; reason: string } | null;
  missing: string[];
}

export const defaultBundleDir = (f: Factory, tenantId: string): string => join(f.paths.stateDir, 'tenants', tenantId, 'join-bundle');

export async function tenantOf(f: Factory): Promise<{ ctx: NamedContext; tenantId: string }> {
  const ctx = await f.context();
  if (ctx.type !== 'tenant' || !ctx.tenant) {
    throw new UsageError(`context "${ctx.name}" is not a tenant context; the join runs for the tenant stack it names`, { hint: 'pass --context <tenant context> (e.g. local-acme)' });
  }
  return { ctx, tenantId: checkTenantId(ctx.tenant) };
}

export async function joinTenant(f: Factory, o: JoinOptions): Promise<JoinResult> {
  const { ctx, tenantId } = await tenantOf(f);
  const out = o.out ?? defaultBundleDir(f, tenantId);
  const method: 'key' | 'request' = o.request ? 'request' : 'key';
  const prior = readBundleState(out);
  if (prior?.status === 'joined') {
    // A finished join: only the local half (install, identity provider) is checked again, so an
    // interrupted install resumes; a join to another provider needs another --out.
    if (prior.providerUrl !== o.providerUrl || prior.tenantId !== tenantId) {
      throw new ConflictError(`${out} holds the join of tenant ${prior.tenantId} to ${prior.providerUrl}`, { hint: 'use another --out for a new join' });
    }
    return resumeJoin(f, ctx, out, prior, o.providerRootPem);
  }
  const http = await f.http();
  const keycloakUrl = o.keycloakUrl ?? (ctx.keycloak ? await publicKeycloakBase(http, ctx.keycloak.url, ctx.keycloak.realm) : '');
  const resume = prior?.status === 'pending' && method === 'request' && prior.providerUrl === o.providerUrl ? readMaterial(out) : undefined;
  const material: JoinMaterial = resume ?? makeJoinMaterial(tenantId);
  const base: BundleState = {
    apiVersion: 'cdm/v1', kind: 'TenantJoinBundle', tenantId, providerUrl: o.providerUrl, method, status: 'material',
    ...(o.displayName ? { displayName: o.displayName } : {}), createdAt: prior?.createdAt ?? new Date(f.clock()).toISOString(),
  };
  if (!resume) {
    writeMaterial(out, material);
    writeBundleState(out, base);
  }
  const submission: JoinSubmission = { sub_ca_csr: material.subCaCsr, wg_pubkey: material.wgPublic, keycloak_url: keycloakUrl, mqtt_bridge_csr: material.mqttCsr };

  let bundle: JoinBundle;
  if (method === 'key') {
    bundle = await joinWithKey(http, o.providerUrl, o.key!, submission);
  } else {
    if (!resume) {
      await fileJoinRequest(http, o.providerUrl, tenantId, { ...submission, display_name: o.displayName ?? tenantId });
      writeBundleState(out, { ...base, status: 'pending' });
    }
    const got = await pollApproval(f, o, tenantId);
    if (!got) {
      return {
        tenantId, status: 'pending', method, providerUrl: o.providerUrl, out, subCa: null, mqttBridgeCert: null, rabbitmq: null,
        files: {}, install: null, identityProvider: null, missing: [],
      };
    }
    bundle = got;
  }

  const v = verifyBundle(bundle, material, tenantId, o.providerRootPem, new Date(f.clock()));
  const files = writeAnswer(out, bundle, v);
  writeBundleState(out, {
    ...base, status: 'joined', joinedAt: new Date(f.clock()).toISOString(), subCaSerial: v.subCa.serial, subCaSubject: v.subCa.subject,
    subCaNotAfter: v.subCa.notAfter, mqttBridgeSerial: v.mqtt?.serial ?? null, rabbitmqVhost: bundle.rabbitmq_vhost, rabbitmqUser: bundle.rabbitmq_user,
    federationClientId: bundle.cdm_idp_client_id, missing: v.missing,
  });
  const done = await finishJoin(f, ctx, out, files, o.providerRootPem, true);
  return {
    tenantId, status: 'joined', method, providerUrl: o.providerUrl, out,
    subCa: { serial: v.subCa.serial, subject: v.subCa.subject, issuer: v.subCa.issuer, notAfter: v.subCa.notAfter, chainValid: true, root: v.subCa.chain.root.subject },
    mqttBridgeCert: v.mqtt,
    rabbitmq: v.missing.includes('rabbitmq') ? null : { url: bundle.rabbitmq_url, vhost: bundle.rabbitmq_vhost, user: bundle.rabbitmq_user },
    files, install: done.install, identityProvider: done.identityProvider, missing: v.missing,
  };
}

/** The result of a join finished earlier, after checking its install and identity provider again. */
export async function resumeJoin(f: Factory, ctx: NamedContext, out: string, state: BundleState, providerRootPem: string | undefined): Promise<JoinResult> {
  const files: Record<string, string> = { subCaCert: join(out, BUNDLE_FILES.subCaCert), subCaKey: join(out, BUNDLE_FILES.subCaKey), providerCa: join(out, BUNDLE_FILES.providerCa) };
  const done = await finishJoin(f, ctx, out, files, providerRootPem, false);
  return {
    tenantId: state.tenantId, status: 'joined', method: state.method, providerUrl: state.providerUrl, out,
    subCa: { serial: state.subCaSerial ?? '', subject: state.subCaSubject ?? '', issuer: '', notAfter: state.subCaNotAfter ?? '', chainValid: true, root: '' },
    mqttBridgeCert: null, rabbitmq: state.rabbitmqVhost ? { url: '', vhost: state.rabbitmqVhost, user: state.rabbitmqUser ?? '' } : null,
    files, install: done.install, identityProvider: done.identityProvider, missing: state.missing ?? [],
  };
}

/**
 * The tenant Keycloak as browsers reach it, from its realm's issuer (`<base>/realms/<realm>`): the
 * provider registers `<base>/realms/<tenant>/broker/cdm-provider/endpoint` as the federation
 * client's redirect URI, so the context's URL would be wrong when it is an internal address or
 * lacks the legacy `/auth` prefix. The context's URL when the realm cannot be read.
 */
export async function publicKeycloakBase(http: HttpClient, url: string, realm: string): Promise<string> {
  try {
    const { issuer } = await discoverRealm(http, url, realm);
    return issuerBase(issuer, realm) ?? url;
  } catch {
    return url;
  }
}

/** `https://kc.example/auth/realms/acme` → `https://kc.example/auth`. */
export function issuerBase(issuer: string, realm: string): string | undefined {
  const suffix = `/realms/${encodeURIComponent(realm)}`;
  const trimmed = issuer.replace(/\/+$/, '');
  return trimmed.endsWith(suffix) ? trimmed.slice(0, -suffix.length) : undefined;
}

/** Install + IdP: run after a join, and again (idempotently) when onboard finds a finished bundle. */
export async function finishJoin(f: Factory, ctx: NamedContext, out: string, files: Record<string, string>, providerRootPem: string | undefined, secretIsNew: boolean): Promise<Pick<JoinResult, 'install' | 'identityProvider'>> {
  const install = await installSubCa(f, ctx, files, providerRootPem);
  const fed = readFederationEnv(out);
  let identityProvider: JoinResult['identityProvider'];
  if (fed.CDM_IDP_CLIENT_ID && fed.CDM_IDP_CLIENT_SECRET && fed.CDM_DISCOVERY_URL) {
    const admin = await realmAdmin(f);
    const endpoints = await providerEndpoints(admin, fed.CDM_DISCOVERY_URL);
    const outcome = await ensureIdp(admin, providerIdp(fed.CDM_IDP_CLIENT_ID, fed.CDM_IDP_CLIENT_SECRET, fed.CDM_DISCOVERY_URL, endpoints), secretIsNew);
    identityProvider = { alias: PROVIDER_IDP_ALIAS, realm: admin.realm, outcome };
  } else {
    identityProvider = { alias: PROVIDER_IDP_ALIAS, outcome: 'skipped', reason: 'the provider sent no federation client (keycloak_federation failed at the provider)' };
  }
  return { install, identityProvider };
}

/** Legacy flow: the approval's bundle, or undefined while pending without --wait. */
async function pollApproval(f: Factory, o: JoinOptions, tenantId: string): Promise<JoinBundle | undefined> {
  const http = await f.http();
  const check = async (): Promise<JoinBundle | undefined> => {
    const s = await joinStatus(http, o.providerUrl, tenantId);
    if (s.status === 'approved') return s;
    if (s.status === 'rejected') throw new ConflictError(`the provider rejected the join request of ${tenantId}: ${s.rejected_reason ?? 'no reason given'}`, { service: 'bridge', hint: 'ask the provider; a new request needs a new --out (or remove the bundle dir)' });
    return undefined;
  };
  const first = await check();
  if (first || !o.wait) return first;
  const spinner = await f.progress().spinner(`waiting for the provider to approve the join request of ${tenantId}`);
  const deadline = f.clock() + (o.waitMs ?? 600_000);
  try {
    for (;;) {
      if (f.clock() >= deadline) {
        throw new PendingError(`the join request of ${tenantId} is still pending after ${Math.round((o.waitMs ?? 600_000) / 1000)} s`, { service: 'bridge', hint: `run the same command again to keep waiting (the keys are kept in ${o.out ?? 'the bundle dir'}); the provider approves with: cdm tenant approve ${tenantId}` });
      }
      await f.sleep(o.pollMs ?? 5_000);
      const got = await check();
      if (got) {
        spinner.succeed(`join request of ${tenantId} approved`);
        return got;
      }
    }
  } catch (err) {
    spinner.fail();
    throw err;
  }
}
