import type { ReadVerb } from '../../src/core/command-spec.js';

export const crl: ReadVerb = {
  name: 'crl',
  summary: 'Show the CRL the context\'s step-ca publishes (exit 3 when it serves none)',
  description: 'Fetch /crl from the context\'s step-ca and list its revoked serials with dates and reasons, after checking whose key signed it. step-ca 0.19 serves no CRL, and newer versions only with "crl" enabled in ca.json: then cdm says so (exit 3) — passive revocations are invisible to relying parties there. --pem prints the CRL itself for distribution.',
  flags: [{ flags: '--pem', description: 'print the CRL as PEM instead of its entries' }],
  examples: [
    { command: 'cdm cert crl', description: 'revoked serials the CA publishes' },
    { command: 'cdm cert crl --pem > ca.crl.pem', description: 'save the CRL for relying parties' },
  ],
  mutates: false,
  async run(ctx) {
    const { fetchCrl } = await import('../../src/services/stepca/crl.js');
    const r = await fetchCrl(ctx.f);
    const out = ctx.f.output();
    if (ctx.flags.pem) {
      await out.raw(r.pem);
      return;
    }
    if (out.machine) {
      await out.item('CRL', r);
      return;
    }
    out.note(`CRL of ${r.issuer}: ${r.entries.length} revoked, updated ${r.thisUpdate}, next ${r.nextUpdate ?? 'unspecified'}${r.signedBy ? `; signature verified (${r.signedBy})` : ''}.`);
    // Not a note: --quiet must not hide that the list could not be authenticated.
    if (!r.signedBy) out.warn('The CRL signature could not be verified against the pinned root or the CA\'s intermediates.');
    await out.list('CRLEntry', r.entries, [
      { header: 'SERIAL', value: (e) => e.serial },
      { header: 'REVOKED AT', value: (e) => e.revokedAt },
      { header: 'REASON', value: (e) => e.reason ?? '' },
      { header: 'SERIAL (HEX)', value: (e) => e.serialHex, wide: true },
    ]);
  },
};
