import type { ReadVerb } from '../../src/core/command-spec.js';
import { DEVICE_DETAIL_VIEW } from './views.js';

export const show: ReadVerb = {
  name: 'show',
  summary: 'Everything every service knows about one device',
  description: 'ThingsBoard (device info, all latest telemetry, server attributes incl. activity, alarms), hawkBit (target, installed and assigned distribution set) and the tenant bridge (WireGuard IP and public key, certificate serial and expiry), with the status of the certificate as far as the records of cdm on this machine go (revoked with `cdm cert revoke` or `cdm device isolate`, renewed with `cdm cert renew`; step-ca cannot be asked) and its file. Exit 3 when no service knows the device. -o json/yaml carries the raw answers of each service.',
  args: [{ name: 'id', description: 'device id', required: true }],
  examples: [
    { command: 'cdm device show dev-0042', description: 'the summary' },
    { command: 'cdm device show dev-0042 -o json | jq .thingsboard.telemetry', description: 'all latest telemetry' },
  ],
  mutates: false,
  async run(ctx) {
    const { showDevice } = await import('../../src/workflows/device/view.js');
    const d = await showDevice(ctx.f, String(ctx.args.id));
    const out = ctx.f.output();
    if (out.machine) await out.item('Device', d);
    else await out.item('Device', d, DEVICE_DETAIL_VIEW);
  },
};
