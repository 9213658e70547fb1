import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { STEP_VIEW } from './remove-view.js';
import { parseDeviceId } from '../../src/core/parse.js';

function input(ctx: CommandContext): { id: string; reason: string } {
  const id = parseDeviceId(String(ctx.args.id));
  const reason = String(ctx.flags.reason ?? '').trim();
  if (!reason) throw new UsageError('--reason <text> is required and must not be empty');
  return { id, reason };
}

export const isolate: MutatingVerb = {
  name: 'isolate',
  summary: 'Cut a compromised device off: revoke its certificate, remove its WireGuard peer, delete it from ThingsBoard and hawkBit (severe)',
  description: 'Steps, in order: read the certificate serial and WireGuard peer the tenant bridge recorded (GET /devices/{id}); revoke that certificate at the tenant step-ca (reason keyCompromise, your --reason as the comment; step-ca revocation is passive: it blocks renewal, relying parties only see it through a CRL); revoke the same way the device\'s earlier certificates that cdm\'s records on this machine hold, neither revoked nor expired (an earlier enrollment\'s, or one issued with its id as common name); delete the device at the bridge (its WireGuard peer and address); delete the ThingsBoard device; delete the hawkBit target. Every step is attempted and reported (done, skipped when there was nothing to do, failed). Each finished step is recorded under the state dir keyed by device id, so running the command again after a failure skips what is done and retries the rest; exit 6 names the failed step. Exit 3 when no service knows the device. Severe: type the device id on a terminal, or pass --confirm <id>.',
  args: [{ name: 'id', description: 'device id', required: true }],
  flags: [{ flags: '--reason <text>', description: 'why (recorded with the revocation and in the journal)', required: true }],
  examples: [
    { command: 'cdm device isolate dev-0042 --reason "key leaked in support ticket 4711" --confirm dev-0042', description: 'in a script' },
    { command: 'cdm device isolate dev-0042 --reason "stolen" --dry-run', description: 'the plan' },
  ],
  mutates: true,
  severe: true,
  target: (ctx) => input(ctx).id,
  async plan(ctx) {
    const { removePlan } = await import('../../src/workflows/device/remove.js');
    return removePlan(ctx.f, { ...input(ctx), operation: 'isolate' });
  },
  async run(ctx) {
    const i = input(ctx);
    const { removeDevice, failureOf } = await import('../../src/workflows/device/remove.js');
    const report = await removeDevice(ctx.f, { ...i, operation: 'isolate' });
    await ctx.f.output().list('IsolationStep', report.steps, STEP_VIEW);
    const failure = failureOf(report, `cdm device isolate ${i.id} --reason <text> --confirm ${i.id}`);
    if (failure) throw failure;
  },
};
