import type { MutatingVerb } from '../../src/core/command-spec.js';
import { parseFingerprint } from '../../src/pki/fingerprint.js';

export const root: MutatingVerb = {
  name: 'root',
  summary: 'Fetch the step-ca root, check its fingerprint, print it; pin it into a context that has none',
  description: 'Fetch the root certificate of the context\'s step-ca by its SHA-256 fingerprint (--fingerprint, else the one pinned in the context) and print its PEM after checking the hash; with no fingerprint anywhere, print the roots from /roots as the TLS connection delivered them. Like `step ca bootstrap`, --fingerprint given to a context that pins none writes the pin into the context (and the root as its CA bundle when it has none): only then does this verb change anything, and --dry-run shows it.',
  flags: [{ flags: '--fingerprint <sha256>', description: 'expected SHA-256 fingerprint of the root (hex, colons allowed)', parse: parseFingerprint }],
  examples: [
    { command: 'cdm cert root > root_ca.crt', description: 'the pinned root of the active context' },
    { command: 'cdm cert root --fingerprint 4b1e…c0de --context prod-provider', description: 'bootstrap trust: check and pin the root' },
  ],
  mutates: true,
  async plan(ctx) {
    const given = ctx.flags.fingerprint as string | undefined;
    const context = await ctx.f.context();
    const { pinAction } = await import('../../src/services/stepca/root.js');
    const a = pinAction(ctx.f, context, given);
    const steps = [{ action: 'fetch', target: `root ${given ?? context.stepca?.fingerprint ?? '(all, /roots)'}`, service: 'step-ca' }];
    if (a.pin) {
      steps.push({ action: 'pin', target: `fingerprint ${given} into context ${context.name}`, service: 'cdm' });
      if (a.writeCaFile) steps.push({ action: 'write', target: `root → ${a.writeCaFile} as the context's CA bundle`, service: 'cdm' });
    }
    return { summary: a.pin ? `fetch the step-ca root and pin it into context ${context.name}` : 'fetch and print the step-ca root (nothing to change)', steps };
  },
  async run(ctx) {
    const { fetchRoot } = await import('../../src/services/stepca/root.js');
    const r = await fetchRoot(ctx.f, ctx.flags.fingerprint as string | undefined);
    const out = ctx.f.output();
    if (out.machine) {
      if (r.roots.length === 1) await out.item('Root', { ...r.roots[0]!, verifiedBy: r.verifiedBy, pinned: r.pinned });
      else await out.list('Root', r.roots.map((x) => ({ ...x, verifiedBy: r.verifiedBy })), []);
    } else {
      await out.raw(r.roots.map((x) => x.pem).join(''));
    }
    if (r.verifiedBy === 'tls') out.warn('No fingerprint is pinned: these roots are only as trustworthy as the TLS connection. Pin one with --fingerprint <sha256>.');
    if (r.pinned) out.note(`Pinned ${r.pinned.fingerprint} into context ${r.pinned.context}${r.pinned.caFile ? `; root saved as its CA bundle ${r.pinned.caFile}` : ''}.`);
  },
};
