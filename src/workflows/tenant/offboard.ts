// `cdm tenant offboard <id>` (provider side, severe): revoke the tenant's Sub-CA at the provider
// CA, delete its RabbitMQ user and vhost, delete the Keycloak client cdm-federation-<id>, and mark
// the tenant removed at the bridge (upstream's DELETE /portal/admin/tenants/{id}). Every finished
// step is recorded in $CDM_STATE_DIR/tenants/<id>/offboard.json; a re-run skips those and repeats
// nothing. Steps are independent: a failed one does not stop the others, and the command then
// exits 6 naming how to resume.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeJsonAtomic } from '../../config/atomic.js';
import { ConflictError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { PlanStep } from '../../core/command-spec.js';
import { BridgeAdmin, type BridgeTenant } from '../../services/bridge/tenants.js';
import { rabbitDeleter } from '../../services/bridge/tenants-rabbitmq.js';
import { deleteFederationClient, federationClientId, realmAdmin } from '../../services/keycloak/federation.js';

export type OffboardStepName = 'revoke-sub-ca' | 'delete-rabbitmq-user' | 'delete-rabbitmq-vhost' | 'delete-federation-client' | 'mark-removed';
export const OFFBOARD_STEPS: readonly OffboardStepName[] = ['revoke-sub-ca', 'delete-rabbitmq-user', 'delete-rabbitmq-vhost', 'delete-federation-client', 'mark-removed'];

export interface StepReport {
  step: OffboardStepName;
  target: string;
  service: string;
  /** done: took effect now; absent: there was nothing to do; skipped: finished by an earlier run; failed. */
  outcome: 'done' | 'absent' | 'skipped' | 'failed';
  detail?: string;
  at?: string;
}

export interface OffboardResult {
  tenantId: string;
  context: string;
  steps: StepReport[];
  failed: number;
  journal: string;
}

interface Journal {
  tenantId: string;
  steps: Partial<Record<OffboardStepName, { outcome: 'done' | 'absent'; at: string; detail?: string; correlationId: string }>>;
}

export const offboardJournal = (f: Factory, id: string): string => join(f.paths.stateDir, 'tenants', id, 'offboard.json');

function readJournal(file: string, id: string): Journal {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Journal;
    if (j.tenantId === id && j.steps) return j;
  } catch { /* none yet */ }
  return { tenantId: id, steps: {} };
}

/** What each step acts on, and the verb a plan shows for it (the step name already says the rest). */
function targets(id: string, t: BridgeTenant | undefined): Record<OffboardStepName, { action: string; target: string; service: string }> {
  return {
    'revoke-sub-ca': { action: 'revoke', target: t?.sub_ca_serial ? `Sub-CA serial ${t.sub_ca_serial}${t.sub_ca_subject ? ` (${t.sub_ca_subject})` : ''}` : 'no Sub-CA recorded', service: 'step-ca (provider)' },
    'delete-rabbitmq-user': { action: 'delete', target: `RabbitMQ user ${t?.rabbitmq_user ?? `${id}-mqtt-bridge`}`, service: 'rabbitmq' },
    'delete-rabbitmq-vhost': { action: 'delete', target: `RabbitMQ vhost ${t?.rabbitmq_vhost ?? id}`, service: 'rabbitmq' },
    'delete-federation-client': { action: 'delete', target: `federation client ${federationClientId(id)}`, service: 'keycloak (provider realm)' },
    'mark-removed': { action: 'mark removed', target: `tenant ${id}`, service: 'bridge' },
  };
}

export async function planOffboard(f: Factory, id: string): Promise<{ summary: string; steps: PlanStep[] }> {
  const bridge = await BridgeAdmin.open(f);
  const t = await bridge.tenant(id);
  const j = readJournal(offboardJournal(f, id), id);
  const tg = targets(id, t);
  return {
    summary: `offboard tenant ${id}: revoke its Sub-CA, delete its RabbitMQ user and vhost and its federation client, mark it removed`,
    steps: OFFBOARD_STEPS.map((s) => ({
      action: j.steps[s] ? `skip (done ${j.steps[s]!.at})` : tg[s].action, target: tg[s].target, service: tg[s].service,
    })),
  };
}

export async function offboardTenant(f: Factory, id: string): Promise<OffboardResult> {
  const bridge = await BridgeAdmin.open(f);
  const t = await bridge.tenant(id);
  const file = offboardJournal(f, id);
  const journal = readJournal(file, id);
  const tg = targets(id, t);
  const save = (): void => {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeJsonAtomic(file, journal, 0o600);
  };

  const actions: Record<OffboardStepName, () => Promise<{ outcome: 'done' | 'absent'; detail?: string }>> = {
    'revoke-sub-ca': async () => {
      if (!t.sub_ca_serial) return { outcome: 'absent', detail: 'the bridge recorded no Sub-CA for this tenant' };
      const { revokeCertificate } = await import('../../services/stepca/revoke.js');
      try {
        const r = await revokeCertificate(f, { serial: t.sub_ca_serial, reason: 'cessationOfOperation', comment: `tenant ${id} offboarded`, subCa: id });
        return { outcome: 'done', detail: `revoked serial ${r.serial} (passive: renewal refused; relying parties see it through a CRL)` };
      } catch (err) {
        // step-ca answers a second revocation of the same serial with a conflict: it is revoked.
        if (err instanceof ConflictError) return { outcome: 'absent', detail: `serial ${t.sub_ca_serial} was already revoked` };
        throw err;
      }
    },
    'delete-rabbitmq-user': async () => {
      const name = t.rabbitmq_user ?? `${id}-mqtt-bridge`;
      return (await (await rabbitDeleter(f)).deleteUser(name)) ? { outcome: 'done', detail: `deleted user ${name}` } : { outcome: 'absent', detail: `user ${name} did not exist` };
    },
    'delete-rabbitmq-vhost': async () => {
      const name = t.rabbitmq_vhost ?? id;
      return (await (await rabbitDeleter(f)).deleteVhost(name)) ? { outcome: 'done', detail: `deleted vhost ${name}` } : { outcome: 'absent', detail: `vhost ${name} did not exist` };
    },
    'delete-federation-client': async () => {
      const a = await realmAdmin(f);
      return (await deleteFederationClient(a, id)) ? { outcome: 'done', detail: `deleted ${federationClientId(id)} in realm ${a.realm}` } : { outcome: 'absent', detail: `${federationClientId(id)} did not exist` };
    },
    'mark-removed': async () => {
      const r = await bridge.remove(id);
      const errors = Object.entries(r.errors);
      if (errors.length > 0) throw new Error(`the bridge reported: ${errors.map(([k, v]) => `${k}: ${v}`).join('; ')}`);
      return { outcome: 'done', detail: `join state removed${Object.keys(r.results).length ? ` (${Object.entries(r.results).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}` };
    },
  };

  const steps: StepReport[] = [];
  for (const s of OFFBOARD_STEPS) {
    const base = { step: s, target: tg[s].target, service: tg[s].service };
    const prior = journal.steps[s];
    if (prior) {
      steps.push({ ...base, outcome: 'skipped', detail: `finished by an earlier run: ${prior.detail ?? prior.outcome}`, at: prior.at });
      continue;
    }
    try {
      const r = await actions[s]();
      const at = new Date(f.clock()).toISOString();
      journal.steps[s] = { outcome: r.outcome, at, ...(r.detail ? { detail: r.detail } : {}), correlationId: f.correlationId };
      save();
      steps.push({ ...base, outcome: r.outcome, ...(r.detail ? { detail: r.detail } : {}), at });
    } catch (err) {
      // Interrupted or timed out: stop here; the journal lets the next run resume.
      if (f.signal.aborted) throw err;
      steps.push({ ...base, outcome: 'failed', detail: (err as Error).message });
    }
  }
  const ctx = await f.context();
  return { tenantId: id, context: ctx.name, steps, failed: steps.filter((s) => s.outcome === 'failed').length, journal: file };
}
