import type { ReadVerb } from '../../src/core/command-spec.js';
import { CdmError } from '../../src/core/errors.js';
import type { View } from '../../src/core/output.js';
import type { Check } from '../../src/workflows/doctor/checks.js';
import { count } from '../../src/core/plural.js';

const VIEW: View<Check> = [
  { header: 'SERVICE', value: (c) => c.service },
  { header: 'CHECK', value: (c) => c.check },
  { header: 'STATUS', value: (c) => c.status },
  { header: 'DETAIL', value: (c) => c.detail },
  { header: 'FIX', value: (c) => c.fix ?? '', wide: true },
];

export const doctorVerb: ReadVerb = {
  name: 'doctor',
  summary: 'Check every service of a context and print the fix for each failure (exit 1 if one fails)',
  description: 'For each service of the context (Keycloak, step-ca, the bridge, RabbitMQ, hawkBit, ThingsBoard): reachable, '
    + 'version, credentials work, clock skew (from the Date header). step-ca: the root matches the pinned fingerprint, the '
    + 'CA\'s TLS certificate verifies to it, the CA bundle holds it, the provisioners exist and the stored password '
    + 'decrypts the key. Provider: every joined tenant has its RabbitMQ vhost and MQTT-bridge user and its Keycloak '
    + 'federation client, and a Sub-CA that has not expired (warn within 7 days: upstream\'s Sub-CA signer has no '
    + 'duration claims, so a Sub-CA lives 24 h). Tenant: the `cdm-provider` IdP, hawkBit\'s software module types, ThingsBoard\'s `cdm-x509` '
    + 'profile. Each check is pass, warn, fail or skip; the fixes of failures and warnings follow the table (or are in '
    + 'the FIX column of -o wide, and the `fix` field of -o json). Sends no request that changes anything.',
  examples: [
    { command: 'cdm doctor', description: 'the active context' },
    { command: 'cdm doctor --context local-acme -o json', description: 'as data, for a monitoring script' },
  ],
  mutates: false,
  async run(ctx) {
    const { runDoctor } = await import('../../src/workflows/doctor/checks.js');
    const f = ctx.f;
    const result = await runDoctor(f);
    const out = f.output();
    if (out.format === 'json' || out.format === 'yaml') {
      await out.item('DoctorReport', { context: result.context, healthy: result.failed === 0, failed: result.failed, warnings: result.warnings, checks: result.checks });
    } else {
      await out.list('DoctorCheck', result.checks, VIEW);
      if (!out.machine && out.format !== 'wide') {
        const fixes = result.checks.filter((c) => c.fix !== undefined && (c.status === 'fail' || c.status === 'warn'));
        if (fixes.length > 0) f.io.stderr.write(`\n${fixes.map((c) => `${c.status === 'fail' ? 'FAIL' : 'WARN'} ${c.service} ${c.check}: ${c.fix}`).join('\n')}\n`);
      }
    }
    if (result.failed > 0) {
      throw new CdmError(`${count(result.failed, 'check')} failed on context ${result.context}: ${result.checks.filter((c) => c.status === 'fail').map((c) => `${c.service} ${c.check}`).join(', ')}`);
    }
    out.note(`Context ${result.context}: ${count(result.checks.length, 'check')}, ${count(result.warnings, 'warning')}, no failure.`);
  },
};
