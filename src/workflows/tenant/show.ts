// `cdm tenant list|show`: the provider's view of a tenant from every service that holds a part of
// it — the bridge register (join state, Sub-CA serial), the provider Keycloak (client
// cdm-federation-<id>), RabbitMQ (vhost, user, permissions) and the PKI (the Sub-CA certificate,
// verified up to the provider root when this machine has it: the join bundle or --sub-ca-cert).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { certificatePems } from '../../pki/pem.js';
import { parseSerial } from '../../pki/serial.js';
import { verifyChain } from '../../pki/verify.js';
import { BridgeAdmin, type BridgeTenant } from '../../services/bridge/tenants.js';
import { federationClient, federationClientId, realmAdmin } from '../../services/keycloak/federation.js';
import { RabbitMqClient, type Permissions } from '../../services/rabbitmq/client.js';
import { resolveSecret } from '../../config/secret-ref.js';

export interface TenantItem {
  tenantId: string;
  displayName: string;
  joinState: string;
  joinMethod: string | null;
  subCaSerial: string | null;
  subCaSubject: string | null;
  subCaNotAfter: string | null;
  rabbitmqVhost: string | null;
  rabbitmqUser: string | null;
  federationClientId: string | null;
  keycloakUrl: string | null;
  joinedAt: string | null;
  removedAt: string | null;
  openJoinKeys: number;
  joinKeyExpiresAt: string | null;
  provisioningErrors: Record<string, string>;
}

export function tenantItem(t: BridgeTenant): TenantItem {
  return {
    tenantId: t.tenant_id, displayName: t.display_name, joinState: t.join_state, joinMethod: t.join_method ?? null,
    subCaSerial: t.sub_ca_serial ?? null, subCaSubject: t.sub_ca_subject ?? null, subCaNotAfter: t.sub_ca_not_after ?? null,
    rabbitmqVhost: t.rabbitmq_vhost ?? null, rabbitmqUser: t.rabbitmq_user ?? null, federationClientId: t.cdm_idp_client_id ?? null,
    keycloakUrl: t.keycloak_url ?? null, joinedAt: t.joined_at ?? null, removedAt: t.removed_at ?? null,
    openJoinKeys: t.open_join_keys ?? 0, joinKeyExpiresAt: t.join_key_expires_at ?? null, provisioningErrors: t.provisioning_errors ?? {},
  };
}

export interface TenantView extends TenantItem {
  keycloak: { realm: string; clientId: string; present: boolean; enabled: boolean | null; redirectUris: string[] } | { error: string };
  rabbitmq: { vhost: string; vhostPresent: boolean; user: string; userPresent: boolean; permissions: Permissions | null } | { error: string };
  pki: {
    serial: string | null;
    subject: string | null;
    notAfter: string | null;
    certificate: string | null;
    chainValid: boolean | null;
    chain: string[];
    /** Set when cdm revoked this Sub-CA from this machine (step-ca cannot be asked). */
    revoked: { at: string; reasonCode: number; reason: string } | null;
    note?: string;
  };
}

const errorOf = (err: unknown): { error: string } => ({ error: (err as Error).message });

export async function rabbitFor(f: Factory): Promise<RabbitMqClient> {
  const ctx = await f.context();
  if (!ctx.rabbitmq?.url) throw new UsageError(`context "${ctx.name}" has no RabbitMQ URL`, { hint: `cdm context add ${ctx.name} --overwrite … --rabbitmq-url <url>` });
  const cred = (await f.credentials()).service(ctx.name, 'rabbitmq');
  if (!cred?.username) throw new UsageError(`context "${ctx.name}" has no RabbitMQ credential`, { hint: `printf %s "$PW" | cdm auth set-credential rabbitmq --username <admin> --context ${ctx.name}` });
  return new RabbitMqClient(await f.http(), ctx.rabbitmq.url, cred.username, await resolveSecret(cred.secret, f.io.env));
}

/** The provider root(s) the context pins (to anchor Sub-CA chains). */
export async function providerRoots(f: Factory): Promise<string[]> {
  const { StepCaConnection } = await import('../../services/stepca/connect.js');
  const conn = await StepCaConnection.open(f);
  try {
    return await conn.roots();
  } finally {
    await conn.close();
  }
}

export async function showTenant(f: Factory, id: string, subCaCertFile: string | undefined): Promise<TenantView> {
  const bridge = await BridgeAdmin.open(f);
  const t = tenantItem(await bridge.tenant(id));
  const ctx = await f.context();

  let keycloak: TenantView['keycloak'];
  try {
    const a = await realmAdmin(f);
    const c = await federationClient(a, id);
    keycloak = { realm: a.realm, clientId: federationClientId(id), present: c !== undefined, enabled: c?.enabled ?? null, redirectUris: c?.redirectUris ?? [] };
  } catch (err) {
    keycloak = errorOf(err);
  }

  let rabbitmq: TenantView['rabbitmq'];
  try {
    const mq = await rabbitFor(f);
    const vhost = t.rabbitmqVhost ?? id;
    const user = t.rabbitmqUser ?? `${id}-mqtt-bridge`;
    const [v, u, p] = await Promise.all([mq.vhost(vhost), mq.user(user), mq.permissions(vhost, user)]);
    rabbitmq = { vhost, vhostPresent: v !== undefined, user, userPresent: u !== undefined, permissions: p ?? null };
  } catch (err) {
    rabbitmq = errorOf(err);
  }

  const pki: TenantView['pki'] = { serial: t.subCaSerial, subject: t.subCaSubject, notAfter: t.subCaNotAfter, certificate: null, chainValid: null, chain: [], revoked: null };
  const recorded = t.subCaSerial ? decimalSerial(t.subCaSerial) : undefined;
  if (recorded) {
    const { recordedCertificate } = await import('../cert/list.js');
    pki.revoked = (await recordedCertificate(f, recorded))?.revoked ?? null;
  }
  const file = subCaCertFile ?? join(f.paths.stateDir, 'tenants', id, 'join-bundle', 'sub-ca.crt');
  if (existsSync(file)) {
    const pems = certificatePems(readFileSync(file, 'utf8'));
    const leaf = pems[0] ? new X509Certificate(pems[0]) : undefined;
    const serial = leaf ? BigInt(`0x${leaf.serialNumber}`).toString(10) : undefined;
    if (!leaf || (t.subCaSerial && serial !== t.subCaSerial)) {
      pki.note = `${file} is not the Sub-CA the bridge recorded (serial ${serial ?? 'none'})`;
    } else {
      pki.certificate = file;
      try {
        const r = verifyChain(pems, await providerRoots(f), new Date(f.clock()));
        pki.chainValid = true;
        pki.chain = r.chain.map((l) => l.subject).concat(r.root.subject);
      } catch (err) {
        pki.chainValid = false;
        pki.note = (err as Error).message;
      }
    }
  } else if (t.subCaSerial) {
    pki.note = `the Sub-CA certificate is not on this machine; pass --sub-ca-cert <file> to verify its chain (context ${ctx.name})`;
  }
  return { ...t, keycloak, rabbitmq, pki };
}

function decimalSerial(text: string): string | undefined {
  try { return parseSerial(text).decimal; } catch { return undefined; }
}
