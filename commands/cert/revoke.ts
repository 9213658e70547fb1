import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { REASON_NAMES } from '../../src/pki/reasons.js';
// Light (Node built-ins only): the severe confirmation needs the serial synchronously.
import { confirmTarget, refuseSubCaOutsideProvider, revokeTarget, type RevokeInput, type RevokeTarget } from '../../src/services/stepca/revoke-target.js';

function input(ctx: CommandContext): RevokeInput {
  const fl = ctx.flags as { cert?: string; device?: string; reason: string; comment?: string; subCa?: string; provisioner?: string };
  return {
    ...(ctx.args.serial !== undefined ? { serial: String(ctx.args.serial) } : {}),
    ...(fl.cert !== undefined ? { cert: fl.cert } : {}),
    ...(fl.device !== undefined ? { device: fl.device } : {}),
    reason: fl.reason,
    ...(fl.comment !== undefined ? { comment: fl.comment } : {}),
    ...(fl.subCa !== undefined ? { subCa: fl.subCa } : {}),
    ...(fl.provisioner !== undefined ? { provisioner: fl.provisioner } : {}),
  };
}

/** The target, checked against the context, and for a bare serial the check that cdm's records do not place it at another CA (before the confirmation). */
async function checkedTarget(ctx: CommandContext): Promise<RevokeTarget> {
  const i = input(ctx);
  const t = revokeTarget(i);
  refuseSubCaOutsideProvider(t, await ctx.f.context());
  if (t.serial && i.serial !== undefined) {
    const { refuseSerialOfAnotherCa } = await import('../../src/workflows/cert/issued-elsewhere.js');
    await refuseSerialOfAnotherCa(ctx.f, t.serial.decimal);
  }
  return t;
}

export const revoke: MutatingVerb = {
  name: 'revoke',
  summary: 'Revoke a certificate at the context\'s step-ca (passive: blocks renewal; severe)',
  description: 'Revoke by serial (decimal, 0x-hex, or hex pairs with colons as openssl prints it), --cert <file>, or --device <id> (the serial the tenant bridge of the context recorded at enrollment), with an RFC 5280 reason (name or code 0-10 except 7). cdm mints a one-time token with the revoke audience from the provisioner key. step-ca revocation is PASSIVE: the CA refuses to renew the certificate, but relying parties keep accepting it until it expires unless they read a CRL. --sub-ca <tenant> revokes a tenant Sub-CA at the provider CA (a provider context): alone, it revokes the Sub-CA serial the provider bridge recorded when the tenant joined (GET /portal/admin/tenants); with a serial or --cert, that certificate. Severe: type the serial (the device id with --device, the tenant id with --sub-ca alone) on a terminal, or pass --confirm <it>. Revoking twice is exit 5. With --cert, cdm first checks that the context\'s CA issued the certificate (through the CA\'s intermediates, its TLS chain or the file\'s own chain) and refuses with exit 2 otherwise: step-ca records any serial it is asked to revoke, so a certificate revoked at the wrong CA stays renewable at its own. A bare serial that cdm\'s records show issued through the context of another CA is refused the same way.',
  args: [{ name: 'serial', description: 'serial number: decimal, 0x-prefixed hex, or hex pairs with colons (as openssl prints it)' }],
  flags: [
    { flags: '--cert <file>', description: 'take the serial from this certificate (PEM); it must come from the context\'s CA', complete: 'files' },
    { flags: '--device <id>', description: 'revoke the certificate the tenant bridge recorded for this device (GET /devices/{id}: cert_serial)' },
    { flags: '--reason <name|code>', description: `RFC 5280 reason: ${REASON_NAMES.join(', ')} (or 0-10, not 7)`, required: true, complete: REASON_NAMES },
    { flags: '--comment <text>', description: 'free text stored with the revocation (default: the reason name)' },
    { flags: '--sub-ca <tenant>', description: 'the certificate is the Sub-CA of this tenant; revoke it at the provider CA (alone: the serial the provider bridge recorded)' },
    { flags: '--provisioner <name>', description: 'JWK provisioner that authorises the revocation (default: the context\'s)' },
  ],
  examples: [
    { command: 'cdm cert revoke 1655281930295817268362923 --reason keyCompromise --confirm 1655281930295817268362923', description: 'in a script' },
    { command: 'cdm cert revoke --cert dev-0042.crt --reason superseded --comment "replaced board"', description: 'asks you to type the serial' },
    { command: 'cdm cert revoke --device dev-0042 --reason keyCompromise --confirm dev-0042 --context acme', description: 'a device\'s certificate, serial from the tenant bridge' },
    { command: 'cdm cert revoke --sub-ca acme --reason cACompromise --confirm acme --context prod-provider', description: 'escalation: revoke the Sub-CA the provider bridge recorded for tenant acme' },
    { command: 'cdm cert revoke --sub-ca acme --cert acme-subca.crt --reason cACompromise --context prod-provider', description: 'a Sub-CA certificate you hold (asks you to type its serial)' },
  ],
  mutates: true,
  severe: true,
  target: (ctx) => confirmTarget(revokeTarget(input(ctx))),
  async plan(ctx) {
    const t = await checkedTarget(ctx);
    const what = t.serial ? `serial ${t.serial.decimal}` : `the certificate of device ${t.device}`;
    return {
      summary: !t.serial && t.subCa ? `revoke the Sub-CA of tenant ${t.subCa} (the serial the provider bridge recorded) at the step-ca` : `revoke ${t.subCa ? `the Sub-CA of tenant ${t.subCa}, ` : ''}${what} at the step-ca`,
      steps: [
        ...(t.device ? [{ action: 'look up', target: `cert_serial of device ${t.device}`, service: 'bridge' }] : []),
        ...(!t.serial && t.subCa ? [{ action: 'look up', target: `sub_ca_serial of tenant ${t.subCa}`, service: 'bridge' }] : []),
        { action: 'revoke', target: t.serial ? `serial ${t.serial.decimal} (0x${t.serial.hex})${t.subject ? ` ${t.subject}` : ''}` : `the serial the bridge names for ${t.device ?? `tenant ${t.subCa}`}`, service: 'step-ca', details: { reason: t.reason.name, reasonCode: t.reason.code, passive: true } },
        { action: 'record', target: 'the revocation in the local certificate inventory' },
      ],
    };
  },
  async run(ctx) {
    await checkedTarget(ctx);
    const { revokeCertificate } = await import('../../src/services/stepca/revoke.js');
    const r = await revokeCertificate(ctx.f, input(ctx));
    const out = ctx.f.output();
    if (out.machine) await out.item('Revocation', r);
    else await out.item('Revocation', r, [
      { header: 'Serial', value: (x) => x.serial },
      { header: 'Reason', value: (x) => `${x.reason} (${x.reasonCode})` },
      { header: 'Revoked at', value: (x) => x.revokedAt },
      ...(r.subCaTenant ? [{ header: 'Sub-CA of tenant', value: () => r.subCaTenant }] : []),
      ...(r.device ? [{ header: 'Device', value: () => r.device }] : []),
    ]);
    // Not a hint that --quiet may hide: operators must not believe the certificate is dead.
    out.warn(`Certificate with serial ${r.serial} has been revoked. ${r.note}`);
  },
};
