import { existsSync } from 'node:fs';
import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { outputPath } from '../../src/core/parse.js';
import { inputName } from '../../src/core/read-input.js';
import type { IssueInput } from '../../src/services/stepca/issue.js';
import { parseNotAfter } from './options.js';

function input(ctx: CommandContext): IssueInput {
  const fl = ctx.flags as { san?: string[]; csr?: string; keyOut?: string; notAfter?: string; out?: string; provisioner?: string; ca?: boolean };
  return {
    commonName: String(ctx.args.commonName),
    ...(fl.san ? { san: fl.san } : {}),
    ...(fl.csr ? { csr: fl.csr } : {}),
    ...(fl.keyOut ? { keyOut: fl.keyOut } : {}),
    ...(fl.notAfter ? { notAfter: fl.notAfter } : {}),
    ...(fl.out ? { out: fl.out } : {}),
    ...(fl.provisioner ? { provisioner: fl.provisioner } : {}),
    ...(fl.ca ? { ca: true } : {}),
  };
}

export const issue: MutatingVerb = {
  name: 'issue',
  summary: 'Issue a certificate from the context\'s step-ca (key generated locally, or your CSR)',
  description: 'Issue a certificate with a JWK provisioner of the context\'s step-ca. With --key-out an EC P-256 key is generated on this machine (written 0600, never sent); with --csr your CSR is used as it is (its CN must be the common name). cdm fetches the provisioner\'s encrypted key from the CA, decrypts it with the provisioner password stored by `cdm auth set-credential stepca`, mints a one-time token, and checks the answer (our key, chains to the pinned root) before writing --out (certificate and chain; an existing file is replaced only with --yes or a yes at the prompt). Without --out the PEM goes to stdout. Issued certificates are recorded in the local inventory read by `cdm cert list`. A CA certificate (what a CDM provider\'s Sub-CA provisioner, the provider context\'s default, makes of any request) is written only with --ca: otherwise it is exit 5, nothing is written and a key made here is dropped.',
  args: [{ name: 'common-name', description: 'subject common name (also the token subject and the first SAN)', required: true }],
  flags: [
    { flags: '--san <name...>', description: 'subject alternative names: DNS names, IPs, emails, URIs (repeat or comma-separate)' },
    { flags: '--csr <file>', description: 'sign this CSR (PEM or DER; - reads stdin) instead of generating a key', complete: 'files' },
    { flags: '--key-out <file>', description: 'generate an EC P-256 key and write it here (mode 0600)', complete: 'files', parse: outputPath('--key-out', 'cdm writes a private key only to a file (mode 0600), never to stdout') },
    { flags: '--not-after <duration|time>', description: 'validity: a duration (24h, 7d) or an RFC 3339 time, within the provisioner\'s limits', parse: parseNotAfter },
    { flags: '--out <file>', description: 'write the certificate and its chain (PEM) here', complete: 'files', parse: outputPath('--out', 'leave --out out to print the certificate and its chain to stdout') },
    { flags: '--provisioner <name>', description: 'JWK provisioner (default: the context\'s)' },
    { flags: '--ca', description: 'a CA certificate is meant (a tenant Sub-CA from the provider\'s Sub-CA provisioner); without it a CA certificate is refused (exit 5) and not written' },
  ],
  examples: [
    { command: 'cdm cert issue mqtt.acme.example --san 10.0.0.7 --key-out mqtt.key --out mqtt.crt --not-after 720h', description: 'new key and certificate' },
    { command: 'cdm cert issue dev-0042 --csr dev-0042.csr --out dev-0042.crt', description: 'sign a CSR made on the device' },
    { command: 'cdm cert issue svc.acme.example --key-out svc.key --dry-run -o json', description: 'the plan as data' },
  ],
  mutates: true,
  async plan(ctx) {
    const i = input(ctx);
    const { planIssue } = await import('../../src/services/stepca/issue.js');
    const p = planIssue(i, ctx.f.clock());
    const context = await ctx.f.context();
    const provisioner = i.provisioner ?? context.stepca?.provisioner ?? '(from the stepca credential)';
    return {
      summary: `issue a certificate for ${p.commonName}`,
      steps: [
        ...(p.keySource === 'generated' ? [{ action: 'generate', target: `EC P-256 key → ${i.keyOut}`, details: { mode: '0600' } }] : [{ action: 'read', target: `CSR ${inputName(i.csr!)}` }]),
        { action: 'fetch', target: `encrypted key of provisioner ${provisioner}`, service: 'step-ca' },
        { action: 'sign', target: `CN=${p.commonName}`, service: 'step-ca', details: { sans: p.sans.map((s) => s.value), ...(i.notAfter ? { notAfter: i.notAfter } : {}), provisioner, ...(i.ca ? { ca: true } : {}) } },
        { action: 'verify', target: 'the certificate against the pinned root' },
        { action: i.out ? (existsSync(i.out) ? 'replace (needs --yes)' : 'write') : 'print', target: i.out ? `certificate and chain → ${i.out}` : 'certificate and chain to stdout' },
      ],
    };
  },
  async run(ctx) {
    await (await import('../../src/workflows/tenant/revoked-sub-ca.js')).warnRevokedSubCa(ctx.f);
    const { issueCertificate } = await import('../../src/services/stepca/issue.js');
    const r = await issueCertificate(ctx.f, input(ctx));
    const out = ctx.f.output();
    if (out.machine) {
      await out.item('Certificate', { ...r.certificate, chain: r.chain, provisioner: r.provisioner, certFile: r.certFile, keyFile: r.keyFile });
      return;
    }
    if (r.certFile) {
      const { CERT_VIEW } = await import('./views.js');
      await out.item('Certificate', r.certificate, CERT_VIEW.filter((c) => ['Subject', 'Serial', 'Not after', 'SANs'].includes(c.header)));
    } else {
      await out.raw(r.chain.join(''));
    }
    out.note(`Issued serial ${r.certificate.serial} (CN ${r.certificate.commonName ?? ''}, valid until ${r.certificate.notAfter}) with provisioner ${r.provisioner}${r.certFile ? `; certificate in ${r.certFile}` : ''}${r.keyFile ? `, key in ${r.keyFile}` : ''}.`);
  },
};
