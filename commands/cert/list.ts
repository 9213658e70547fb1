import type { ReadVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { parseDuration } from '../../src/core/parse.js';
import { INVENTORY_VIEW } from './views.js';

export const list: ReadVerb = {
  name: 'list',
  summary: 'List the certificates cdm issued, renewed, revoked or enrolled devices with for the context (local records)',
  description: 'step-ca has no API that lists issued certificates, so this lists what cdm recorded for the context on this machine: every certificate issued, renewed or revoked with cdm ($CDM_STATE_DIR/pki/<context>.json), and the device certificates of every `cdm device enroll` (source enroll, from $CDM_STATE_DIR/devices/<context>/enrolled.jsonl; a device enrolled again shows its earlier certificate as superseded). Certificates issued by other tools or machines are not in it; --device <id> lists the certificates of that device, oldest first: those cdm recorded (its enrollments, and certificates issued with its id as common name) and the one the tenant bridge of the context holds now (GET /devices/{id}), also after the bridge forgot the device. Status is computed now: valid, expired or revoked (as recorded by cdm).',
  flags: [
    { flags: '--expiring <duration>', description: 'only valid certificates, not yet renewed with cdm nor replaced by a later enrollment, that expire within this time (7d, 24h)', parse: (v) => parseDuration(v, 'duration') },
    { flags: '--revoked', description: 'only revoked certificates' },
    { flags: '--device <id>', description: 'the certificates of this device: cdm\'s records and the one the tenant bridge holds (cert_serial)' },
  ],
  examples: [
    { command: 'cdm cert list', description: 'everything cdm issued or enrolled for the active context' },
    { command: 'cdm cert list --expiring 7d -o json', description: 'what needs renewing this week, as data' },
    { command: 'cdm cert list --revoked --context local-acme', description: 'revocations recorded for a tenant' },
    { command: 'cdm cert list --device dev-0042 --context local-acme', description: 'a device\'s certificates, the current and the earlier ones' },
  ],
  mutates: false,
  async run(ctx) {
    const fl = ctx.flags as { expiring?: number; revoked?: boolean; device?: string };
    // --expiring keeps only valid certificates: with --revoked the answer would always be empty.
    if (fl.expiring !== undefined && fl.revoked) throw new UsageError('--expiring and --revoked exclude each other: --expiring lists only valid certificates');
    const { listInventory } = await import('../../src/workflows/cert/list.js');
    const { items } = await listInventory(ctx.f, { ...(fl.expiring !== undefined ? { expiringMs: fl.expiring } : {}), revoked: fl.revoked === true, ...(fl.device !== undefined ? { device: fl.device } : {}) });
    const filtered = fl.expiring !== undefined || fl.revoked === true;
    await ctx.f.output().list('Certificate', items, INVENTORY_VIEW, { empty: filtered ? 'No certificate cdm recorded matches.' : 'No certificates recorded for this context yet: cdm lists what it issued, renewed, revoked or enrolled devices with (step-ca has no list API).' });
  },
};
