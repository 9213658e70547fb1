// Key-based JOIN (cdm-platform.md §2.2 "JOIN workflow"): POST /portal/admin/tenants/prepare issues
// a single-use key (XXXX-XXXX-XXXX-XXXX, 7 days), shown once and stored only as its SHA-256;
// POST /portal/admin/join redeems it with the tenant's CSRs and runs the provisioning pipeline.
// As upstream the key is burnt before provisioning runs (a failed run does not give it back) and
// the answer is 200 with empty fields for failed steps. Unlike upstream, a CSR that does not parse
// is refused (422) before the key is touched, and the joined tenant is registered (§10.2 #11).
import { createHash, randomInt } from 'node:crypto';
import type { Router } from '../kit/router.js';
import { ADMIN_ROLES } from './auth.js';
import { audit, type Bridge } from './context.js';
import { httpError } from './errors.js';
import { readCsr } from './pki.js';
import { runProvisioning } from './provisioning.js';
import { recordJoin, tenantRecord } from './register.js';
import { iso, lookup, setEntry, type JoinKeyRec } from './state.js';
import { readModel, TENANT_ID_PATTERN } from './validate.js';

/** JOIN_KEY_TTL_HOURS = 168. */
export const JOIN_KEY_TTL_MS = 168 * 3_600_000;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

function newJoinKey(): string {
  return Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]).join('')).join('-');
}

/** 422 "Invalid CSR: …" as enrollment answers, for a CSR field that does not parse or verify. */
export async function assertCsr(pem: string, field: string): Promise<void> {
  try {
    await readCsr(pem);
  } catch (err) {
    throw httpError(422, `Invalid CSR (${field}): ${(err as Error).message}`);
  }
}

export function registerJoinRoutes(router: Router, b: Bridge): void {
  router.post('/portal/admin/tenants/prepare', async (ctx) => {
    const caller = await b.tokens.requireUserinfo(ctx, ADMIN_ROLES);
    const body = await readModel(ctx, {
      tenant_id: { kind: 'string', required: true, pattern: TENANT_ID_PATTERN },
      display_name: { kind: 'string', required: true },
    });
    const tenantId = body['tenant_id'] as string;
    const displayName = body['display_name'] as string;
    const key = newJoinKey();
    const created = b.now();
    b.store.update((s) => {
      setEntry(s.joinKeys, hashKey(key), {
        key_sha256: hashKey(key), tenant_id: tenantId, display_name: displayName, status: 'open',
        created_at: iso(created), expires_at: iso(created + JOIN_KEY_TTL_MS), used_at: null, created_by: caller.name,
      });
      const t = tenantRecord(s, tenantId, displayName, created);
      if (t.join_state === 'removed' || t.join_state === 'rejected') t.join_state = 'prepared';
      t.prepared_at = iso(created);
    });
    audit(b, { action: 'tenant.prepare', actor: caller.name, target: tenantId, outcome: 'success', details: { display_name: displayName, expires_at: iso(created + JOIN_KEY_TTL_MS) } });
    ctx.send(200, {
      tenant_id: tenantId, display_name: displayName, join_key: key,
      // Upstream computes it again after storing; it may differ by milliseconds from the stored value.
      expires_at: iso(b.now() + JOIN_KEY_TTL_MS),
      hint: `Set PROVIDER_URL=${b.opts.publicUrl} and JOIN_KEY=${key} in the tenant's .env, then run init-sub-ca.sh (or: cdm tenant join --provider-url ${b.opts.publicUrl} --join-key <key>).`,
    });
  });

  router.post('/portal/admin/join', async (ctx) => {
    const body = await readModel(ctx, {
      sub_ca_csr: { kind: 'string', required: true },
      wg_pubkey: { kind: 'string', required: true },
      keycloak_url: { kind: 'string', required: false, default: '' },
      mqtt_bridge_csr: { kind: 'string', required: false, default: '' },
    });
    const key = (ctx.header('x-join-key') ?? '').trim();
    const refuse = (detail: string, tenant: string): never => {
      audit(b, { action: 'tenant.join', actor: 'join-key', target: tenant, outcome: 'denied', details: { reason: detail } });
      throw httpError(401, detail);
    };
    if (!key) refuse('X-Join-Key header is required.', '');
    // Checked and burnt in one synchronous step, so two handshakes racing with one key cannot both
    // pass; a dry run first, so a malformed CSR is refused (422) without burning a good key.
    const redeem = (burn: boolean): JoinKeyRec => {
      const found = b.store.update((s) => {
        const k = lookup(s.joinKeys, hashKey(key));
        if (!k) return undefined;
        if (k.status !== 'open') return { k: { ...k }, verdict: 'spent' as const };
        if (b.now() > Date.parse(k.expires_at)) {
          k.status = 'expired';
          return { k: { ...k }, verdict: 'expired' as const };
        }
        const before = { ...k };
        if (burn) {
          k.status = 'used';
          k.used_at = iso(b.now());
        }
        return { k: before, verdict: 'open' as const };
      });
      if (!found) return refuse('Invalid JOIN key.', '');
      if (found.verdict === 'expired') return refuse('JOIN key has expired.', found.k.tenant_id);
      if (found.verdict === 'spent') return refuse(`JOIN key is '${found.k.status}' – each key may only be used once.`, found.k.tenant_id);
      return found.k;
    };
    redeem(false);
    await assertCsr(body['sub_ca_csr'] as string, 'sub_ca_csr');
    if (body['mqtt_bridge_csr']) await assertCsr(body['mqtt_bridge_csr'] as string, 'mqtt_bridge_csr');
    const entry = redeem(true);

    const keycloakUrl = body['keycloak_url'] as string;
    const wgPubkey = body['wg_pubkey'] as string;
    const result = await runProvisioning(b, {
      tenantId: entry.tenant_id, subCaCsr: body['sub_ca_csr'] as string, mqttBridgeCsr: body['mqtt_bridge_csr'] as string, keycloakUrl,
    });
    recordJoin(b, { tenantId: entry.tenant_id, displayName: entry.display_name, state: 'joined', method: 'key', keycloakUrl, wgPubkey, result });
    audit(b, {
      action: 'tenant.join', actor: 'join-key', target: entry.tenant_id,
      outcome: Object.keys(result.errors).length ? 'partial' : 'success',
      details: { method: 'key', results: result.results, errors: result.errors, sub_ca_serial: result.subCa?.serial ?? null },
    });
    ctx.send(200, { tenant_id: entry.tenant_id, status: 'joined', ...result.bundle });
  });
}
