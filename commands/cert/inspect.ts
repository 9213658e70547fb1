import type { ReadVerb } from '../../src/core/command-spec.js';

export const inspect: ReadVerb = {
  name: 'inspect',
  summary: 'Show what is in a certificate, chain or CSR (PEM or DER; offline)',
  description: 'Decode a certificate, a chain or a certificate request, PEM or DER, from a file or stdin (-). Entirely local: no context is needed and nothing is sent anywhere. Shows subject, issuer, serial (decimal, as `cdm cert revoke` takes it, and hex), validity, SANs, key type, basic constraints with path length, key usage, extended key usage and SHA-256/SHA-1 fingerprints. With -o json one object (kind Certificate or CertificateRequest) or, for several, a CertificateList; each includes its PEM.',
  args: [{ name: 'file', description: 'file, or - for stdin', required: true, complete: 'files' }],
  examples: [
    { command: 'cdm cert inspect dev-0042.crt', description: 'one certificate' },
    { command: 'openssl s_client -connect mqtt.acme.example:8883 -showcerts </dev/null | cdm cert inspect - -o json', description: 'a server\'s chain as data' },
  ],
  mutates: false,
  async run(ctx) {
    const { inputName, readBytesInput } = await import('../../src/core/read-input.js');
    const { inspectBytes } = await import('../../src/pki/inspect.js');
    const { CERT_VIEW, CSR_VIEW } = await import('./views.js');
    const file = String(ctx.args.file);
    const items = await inspectBytes(await readBytesInput(file, ctx.f.io), inputName(file));
    const out = ctx.f.output();
    if (items.length > 1 && out.machine) {
      await out.list('Certificate', items, []);
      return;
    }
    for (const [n, item] of items.entries()) {
      if (n > 0 && !out.machine) await out.raw('');
      if (item.type === 'csr') await out.item('CertificateRequest', item, CSR_VIEW);
      else await out.item('Certificate', item, CERT_VIEW);
    }
  },
};
