// `cdm device delete` and `cdm device isolate`: the steps over the tenant bridge, ThingsBoard,
// hawkBit and (isolate) the tenant step-ca, run through the resumable step record (steps.ts).
import { ConflictError, NotFoundError, PartialFailure } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { Plan } from '../../core/command-spec.js';
import type { BridgeDevice } from '../../services/bridge/devices.js';
import { refuseProviderContext } from '../../services/bridge/request.js';
import { EnrolledJournal } from './enrolled.js';
import { runSteps, StepState, type StepReport, type StepSpec } from './steps.js';
import { lastRemoval, unknownDevice } from './unknown.js';

export type Operation = 'isolate' | 'delete';

export interface RemoveOptions { id: string; operation: Operation; reason?: string }

export const STEP_NAMES: Record<Operation, readonly { name: string; service: string; action: string }[]> = {
  isolate: [
    { name: 'lookup', service: 'bridge', action: 'read from the bridge the certificate serial and WireGuard peer of' },
    { name: 'revoke-certificate', service: 'step-ca', action: 'revoke (keyCompromise; passive at step-ca) the device certificate of' },
    { name: 'revoke-earlier-certificates', service: 'step-ca', action: 'revoke the earlier certificates cdm enrolled or issued, still valid, of' },
    { name: 'remove-wireguard-peer', service: 'bridge', action: 'remove at the bridge the WireGuard peer and address of' },
    { name: 'delete-thingsboard', service: 'thingsboard', action: 'delete the ThingsBoard device' },
    { name: 'delete-hawkbit', service: 'hawkbit', action: 'delete the hawkBit target' },
  ],
  delete: [
    { name: 'remove-wireguard-peer', service: 'bridge', action: 'remove at the bridge the WireGuard peer and address of' },
    { name: 'delete-thingsboard', service: 'thingsboard', action: 'delete the ThingsBoard device' },
    { name: 'delete-hawkbit', service: 'hawkbit', action: 'delete the hawkBit target' },
  ],
};

export async function removePlan(f: Factory, o: RemoveOptions): Promise<Plan> {
  const ctx = await f.context();
  refuseProviderContext(ctx);
  const s = new StepState(f.paths.stateDir, ctx.name, o.operation, o.id, new Date(f.clock()).toISOString());
  return {
    summary: `${o.operation} device ${o.id}${o.reason ? ` (reason: ${o.reason})` : ''}${s.resuming ? ' — resuming an earlier run' : ''}`,
    steps: STEP_NAMES[o.operation].map((st) => ({
      action: s.state.steps[st.name] ? `skip (done earlier): ${st.action}` : st.action,
      target: o.id, service: st.service,
    })),
  };
}

export interface RemoveReport {
  device: string;
  operation: Operation;
  steps: StepReport[];
  complete: boolean;
  /** `delete` leaves the device's certificate valid: the one the bridge had recorded, so the caller can say how to revoke it. */
  unrevokedCertificate: { serial: string; notAfter: string | null } | null;
  /** `delete`: the device's other certificates in cdm's records, neither revoked nor expired. */
  earlierCertificates: string[];
}

export async function removeDevice(f: Factory, o: RemoveOptions): Promise<RemoveReport> {
  const ctx = await f.context();
  refuseProviderContext(ctx);
  const now = (): string => new Date(f.clock()).toISOString();
  const s = new StepState(f.paths.stateDir, ctx.name, o.operation, o.id, now());
  const [{ ThingsboardClient }, { HawkbitTargets }, { getBridgeDevice }, { deleteBridgeDevice }] = await Promise.all([
    import('../../services/thingsboard/client.js'), import('./hawkbit.js'), import('../../services/bridge/devices.js'), import('../../services/bridge/delete.js'),
  ]);

  if (!s.resuming) {
    const recorded = await mustExist(f, o.id);
    // Kept with the steps: once the bridge forgot the device, this is the only record of its certificate.
    if (recorded?.cert_serial) {
      s.state.facts.certSerial = recorded.cert_serial;
      s.state.facts.certNotAfter = recorded.cert_not_after ?? null;
    }
  }

  const steps: StepSpec[] = [];
  if (o.operation === 'isolate') {
    steps.push({
      name: 'lookup', service: 'bridge',
      run: async () => {
        const d = await getBridgeDevice(f, o.id);
        s.state.facts.certSerial = d.cert_serial ?? null;
        s.state.facts.certNotAfter = d.cert_not_after ?? null;
        s.state.facts.wireguardIp = d.wireguard_ip;
        return { detail: `certificate serial ${d.cert_serial ?? 'none recorded'}, WireGuard IP ${d.wireguard_ip}` };
      },
    });
    steps.push({
      name: 'revoke-certificate', service: 'step-ca',
      run: async () => {
        if (s.state.steps.lookup === undefined) throw new Error('the bridge lookup did not succeed, so the serial is unknown');
        const serial = s.state.facts.certSerial;
        if (!serial) return { skipped: true, detail: 'the bridge recorded no certificate serial for the device' };
        const { revokeCertificate } = await import('../../services/stepca/revoke.js');
        try {
          const r = await revokeCertificate(f, {
            serial, reason: 'keyCompromise', comment: `cdm device isolate ${o.id}: ${o.reason ?? ''}`.trim(),
            known: { commonName: o.id, notAfter: s.state.facts.certNotAfter ?? null },
          });
          return { detail: `serial ${r.serial} revoked (keyCompromise; passive: blocks renewal, relying parties see it only through a CRL)` };
        } catch (err) {
          if (err instanceof ConflictError) return { skipped: true, detail: `serial ${serial} was already revoked` };
          throw err;
        }
      },
    });
    steps.push({
      name: 'revoke-earlier-certificates', service: 'step-ca',
      run: async () => {
        // A device enrolled again (a new key) keeps its earlier certificates valid: a thief holding
        // an older key would still be trusted. cdm's own records are the only list of them.
        const earlier = await earlierCertificates(f, ctx.name, o.id, s.state.facts.certSerial ?? undefined);
        if (earlier.length === 0) return { skipped: true, detail: `cdm's records hold no other valid certificate of ${o.id}` };
        const { revokeCertificate } = await import('../../services/stepca/revoke.js');
        const done: string[] = [];
        for (const r of earlier) {
          try {
            await revokeCertificate(f, { serial: r.serial, reason: 'keyCompromise', comment: `cdm device isolate ${o.id}: ${o.reason ?? ''}`.trim(), known: { commonName: o.id, notAfter: r.notAfter } });
          } catch (err) {
            if (!(err instanceof ConflictError)) throw Object.assign(err as Error, { message: `${(err as Error).message}${done.length ? ` (revoked before it: ${done.join(', ')})` : ''}` });
          }
          done.push(r.serial);
        }
        return { detail: `serial${done.length === 1 ? '' : 's'} ${done.join(', ')} revoked (keyCompromise)` };
      },
    });
  }
  steps.push({
    name: 'remove-wireguard-peer', service: 'bridge',
    run: async () => {
      const r = await deleteBridgeDevice(f, o.id);
      return { detail: `peer removed${r.released_ip ? `, ${r.released_ip} released` : ''}` };
    },
  });
  let tb: Awaited<ReturnType<typeof ThingsboardClient.open>> | undefined;
  steps.push({
    name: 'delete-thingsboard', service: 'thingsboard',
    run: async () => {
      tb ??= await ThingsboardClient.open(f);
      const d = await tb.deviceByName(o.id);
      if (!d) return { skipped: true, detail: 'not in ThingsBoard' };
      await tb.deleteDevice(d.id.id);
      return { detail: `device ${d.id.id} deleted` };
    },
  });
  steps.push({
    name: 'delete-hawkbit', service: 'hawkbit',
    run: async () => {
      const hb = await HawkbitTargets.open(f);
      return (await hb.delete(o.id)) ? { detail: 'target deleted' } : { skipped: true, detail: 'not in hawkBit' };
    },
  });

  const reports = await runSteps(s, steps, now);
  // Gone from the bridge: a re-run of a bulk enrollment must enroll it again, not skip it as enrolled.
  if (reports.some((r) => r.step === 'remove-wireguard-peer' && r.status !== 'failed')) {
    const journal = new EnrolledJournal(f.paths.stateDir, ctx.name);
    try { journal.recordRemoval(o.id, now()); } finally { journal.close(); }
  }
  const serial = s.state.facts.certSerial;
  return {
    device: o.id, operation: o.operation, steps: reports, complete: reports.every((r) => r.status !== 'failed'),
    unrevokedCertificate: o.operation === 'delete' && serial ? { serial, notAfter: s.state.facts.certNotAfter ?? null } : null,
    earlierCertificates: o.operation === 'delete' ? (await earlierCertificates(f, ctx.name, o.id, serial ?? undefined)).map((c) => c.serial) : [],
  };
}

/** The device's certificates in cdm's records, other than `current`, neither revoked nor expired. */
async function earlierCertificates(f: Factory, context: string, id: string, current: string | undefined): Promise<Array<{ serial: string; notAfter: string | null }>> {
  const [{ certificatesOfDevice, knownCertificates }, { Inventory }, { parseSerial }] = await Promise.all([
    import('../cert/list.js'), import('../../services/stepca/inventory.js'), import('../../pki/serial.js'),
  ]);
  let currentDecimal: string | undefined;
  try { currentDecimal = current === undefined ? undefined : parseSerial(current).decimal; } catch { currentDecimal = current; }
  const now = f.clock();
  return certificatesOfDevice(knownCertificates(f.paths.stateDir, context, Inventory.open(f.paths.stateDir, context)), id)
    .filter((r) => r.serial !== currentDecimal && !r.revoked && (r.notAfter === null || Date.parse(r.notAfter) > now))
    .map((r) => ({ serial: r.serial, notAfter: r.notAfter }));
}

/** Exit 3 before anything changes when no service knows the device; returns the bridge's record of it, if any. */
async function mustExist(f: Factory, id: string): Promise<BridgeDevice | undefined> {
  const [{ ThingsboardClient }, { HawkbitTargets }, { getBridgeDevice }] = await Promise.all([
    import('../../services/thingsboard/client.js'), import('./hawkbit.js'), import('../../services/bridge/devices.js'),
  ]);
  const known = async (probe: () => Promise<unknown>): Promise<boolean> => {
    try {
      return (await probe()) !== undefined;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      return true; // a service that cannot answer does not prove the device unknown; its step will report it
    }
  };
  let recorded: BridgeDevice | undefined;
  const found = await Promise.all([
    known(async () => (recorded = await getBridgeDevice(f, id))),
    known(async () => (await ThingsboardClient.open(f)).deviceByName(id)),
    known(async () => (await HawkbitTargets.open(f)).target(id)),
  ]);
  if (!found.some(Boolean)) throw unknownDevice(id, 'the bridge, ThingsBoard and hawkBit', await lastRemoval(f.paths.stateDir, (await f.context()).name, id));
  return recorded;
}

export function failureOf(r: RemoveReport, command: string): PartialFailure | undefined {
  const failed = r.steps.filter((s) => s.status === 'failed');
  if (failed.length === 0) return undefined;
  return new PartialFailure(`${r.operation} of ${r.device}: ${failed.map((s) => `step ${s.step} [${s.service}] failed: ${s.detail}`).join('; ')}`, {
    hint: `fix the cause and run \`${command}\` again: the ${r.steps.filter((s) => s.status !== 'failed').length} finished steps are recorded and skipped`,
  });
}
