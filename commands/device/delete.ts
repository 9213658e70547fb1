import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { parseDeviceId } from '../../src/core/parse.js';
import { STEP_VIEW } from './remove-view.js';
import { count } from '../../src/core/plural.js';

const deviceId = (ctx: CommandContext): string => parseDeviceId(String(ctx.args.id));

export const remove: MutatingVerb = {
  name: 'delete',
  summary: 'Delete a device from the bridge (WireGuard peer), ThingsBoard and hawkBit',
  description: 'Deletes the device at the tenant bridge (its WireGuard peer and address), in ThingsBoard and in hawkBit; its certificate is left alone (it expires; use `cdm device isolate` for a compromised device), and a warning names its serial with the command that revokes it, since `--device` cannot find it once the bridge forgot the device. Each step is reported (done, skipped when there was nothing to do, failed) and recorded, so running it again after a failure retries only what is left; exit 6 names the failed step, exit 3 when no service knows the device. Asks first on a terminal (--yes answers).',
  args: [{ name: 'id', description: 'device id', required: true }],
  examples: [
    { command: 'cdm device delete dev-0042', description: 'asks first' },
    { command: 'cdm device delete dev-0042 --yes -o json', description: 'in a script' },
  ],
  mutates: true,
  confirm: true,
  async plan(ctx) {
    const { removePlan } = await import('../../src/workflows/device/remove.js');
    return removePlan(ctx.f, { id: deviceId(ctx), operation: 'delete' });
  },
  async run(ctx) {
    const id = deviceId(ctx);
    const { removeDevice, failureOf } = await import('../../src/workflows/device/remove.js');
    const report = await removeDevice(ctx.f, { id, operation: 'delete' });
    const out = ctx.f.output();
    await out.list('DeletionStep', report.steps, STEP_VIEW);
    const cert = report.unrevokedCertificate;
    // Not a hint --quiet may hide: the device is gone everywhere, but its certificate is not dead.
    if (cert) out.warn(`The certificate of ${id} (serial ${cert.serial}${cert.notAfter ? `, valid until ${cert.notAfter}` : ''}) was not revoked: \`cdm cert revoke ${cert.serial} --reason cessationOfOperation --confirm ${cert.serial}\` revokes it (\`cdm device isolate\` does both).`);
    const earlier = report.earlierCertificates;
    if (earlier.length > 0) out.warn(`cdm also recorded ${count(earlier.length, 'earlier certificate')} of ${id} that ${earlier.length === 1 ? 'is' : 'are'} still valid (${earlier.join(', ')}): \`cdm cert list --device ${id}\` lists them.`);
    const failure = failureOf(report, `cdm device delete ${id} --yes`);
    if (failure) throw failure;
  },
};
