import type { ReadVerb } from '../../src/core/command-spec.js';

export const verify: ReadVerb = {
  name: 'verify',
  summary: 'Verify a certificate chain against a root (the context\'s pinned root, or --roots)',
  description: 'Verify that the certificate (leaf first; intermediates may follow in the file) chains to a trusted root and that every link is within its validity period and issued by a CA. The roots come from --roots, else from the context (its pinned step-ca root; its CA bundle otherwise). Exit 1 with the reason when it does not verify, also when the records of cdm for the context say it revoked the certificate (step-ca revocation is passive: the chain of a revoked certificate still verifies); exit 2 when there is no root to verify against.',
  args: [{ name: 'file', description: 'certificate file (PEM), or - for stdin', required: true, complete: 'files' }],
  flags: [{ flags: '--roots <file>', description: 'trusted root certificates (PEM bundle)', complete: 'files' }],
  examples: [
    { command: 'cdm cert verify dev-0042.crt', description: 'against the active context\'s root' },
    { command: 'cdm cert verify server.pem --roots root_ca.crt -o json', description: 'against a given root, as data' },
  ],
  mutates: false,
  async run(ctx) {
    const { verifyCertificate } = await import('../../src/workflows/cert/verify.js');
    const r = await verifyCertificate(ctx.f, String(ctx.args.file), ctx.flags.roots === undefined ? undefined : String(ctx.flags.roots));
    const out = ctx.f.output();
    await out.item('CertificateVerification', r, [
      { header: 'Valid', value: () => 'yes' },
      { header: 'Subject', value: (x) => x.subject },
      { header: 'Not after', value: (x) => x.notAfter },
      { header: 'Chain', value: (x) => x.chain.map((c) => c.subject).join(' ← ') },
      { header: 'Root', value: (x) => `${x.root.subject} (${x.root.fingerprintSha256})` },
    ]);
  },
};
