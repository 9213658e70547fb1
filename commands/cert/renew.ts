import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { outputPath } from '../../src/core/parse.js';
import type { RenewInput } from '../../src/services/stepca/renew.js';

function input(ctx: CommandContext): RenewInput {
  return { cert: String(ctx.args.cert), key: String(ctx.args.key), ...(ctx.flags.out ? { out: String(ctx.flags.out) } : {}) };
}

export const renew: MutatingVerb = {
  name: 'renew',
  summary: 'Renew a certificate over mTLS with its own key (no provisioner password needed)',
  description: 'Renew a certificate that is still valid: cdm connects to the context\'s step-ca presenting the certificate and key (mTLS, POST /renew), checks the new certificate (same key, chains to the pinned root) and writes it with its chain over <cert> atomically, or to --out. A revoked certificate is refused by the CA (exit 4).',
  args: [
    { name: 'cert', description: 'certificate file (PEM, leaf first; a chain may follow)', required: true, complete: 'files' },
    { name: 'key', description: 'its private key (PEM)', required: true, complete: 'files' },
  ],
  flags: [{ flags: '--out <file>', description: 'write the renewed certificate here instead of over <cert> (an existing file is replaced only with --yes)', complete: 'files', parse: outputPath('--out', 'the renewed certificate goes to a file: leave --out out to replace <cert>, or name another file; -o json also returns it as data') }],
  examples: [
    { command: 'cdm cert renew mqtt.crt mqtt.key', description: 'replace mqtt.crt with the renewed certificate' },
    { command: 'cdm cert renew dev.crt dev.key --out dev-new.crt -o json', description: 'keep the old file, print the new certificate as data' },
  ],
  mutates: true,
  async plan(ctx) {
    const i = input(ctx);
    const { readRenewMaterial } = await import('../../src/services/stepca/renew.js');
    const m = await readRenewMaterial(i, ctx.f.clock());
    return {
      summary: `renew the certificate in ${i.cert}`,
      steps: [
        { action: 'renew', target: `serial ${BigInt(`0x${m.leaf.serialNumber}`).toString(10)} (${m.leaf.subject.replace(/\n/g, ', ')})`, service: 'step-ca', details: { auth: 'mTLS' } },
        { action: 'verify', target: 'the new certificate against the pinned root' },
        { action: 'write', target: i.out ?? i.cert, details: { atomic: true } },
      ],
    };
  },
  async run(ctx) {
    const { renewCertificate } = await import('../../src/services/stepca/renew.js');
    const r = await renewCertificate(ctx.f, input(ctx));
    const out = ctx.f.output();
    if (out.machine) {
      await out.item('Certificate', { ...r.certificate, previousSerial: r.previousSerial, certFile: r.certFile });
      return;
    }
    const { CERT_VIEW } = await import('./views.js');
    await out.item('Certificate', r.certificate, CERT_VIEW.filter((c) => ['Subject', 'Serial', 'Not after'].includes(c.header)));
    out.note(`Renewed serial ${r.previousSerial} as ${r.certificate.serial} (valid until ${r.certificate.notAfter}); written to ${r.certFile}.`);
  },
};
