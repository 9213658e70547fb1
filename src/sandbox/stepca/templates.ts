// The certificate profiles of the CDM stacks' step-ca templates (cdm-platform.md §4.7). The
// emulator writes the same .tpl files a real CA uses and recognises them by file name; it does
// not run Go templates, it applies the profile each file stands for.
import type { KeyUsage } from '../kit/certs/x509.js';
import { OID } from '../kit/certs/x509.js';

export type Profile = 'default' | 'device' | 'service' | 'sub-ca';

export interface ProfileSpec {
  /** Subject attributes besides the CN (the CN always comes from the token's `sub`). */
  organization?: string;
  organizationalUnit?: string;
  sans: boolean;
  keyUsage: KeyUsage[];
  extKeyUsage: string[];
  basicConstraints?: { isCA: boolean; maxPathLen?: number };
}

export const PROFILES: Record<Profile, ProfileSpec> = {
  // x509util.DefaultLeafTemplate (EC keys; RSA adds keyEncipherment, handled by the caller).
  default: { sans: true, keyUsage: ['digitalSignature'], extKeyUsage: [OID.serverAuth, OID.clientAuth] },
  device: {
    organization: 'CDM IoT Platform', organizationalUnit: 'Devices', sans: true,
    keyUsage: ['digitalSignature'], extKeyUsage: [OID.clientAuth], basicConstraints: { isCA: false },
  },
  service: {
    organization: 'CDM IoT Platform', organizationalUnit: 'Services', sans: true,
    keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: [OID.serverAuth, OID.clientAuth],
    basicConstraints: { isCA: false },
  },
  'sub-ca': { sans: false, keyUsage: ['certSign', 'crlSign'], extKeyUsage: [], basicConstraints: { isCA: true, maxPathLen: 0 } },
};

export const TEMPLATE_FILES: Record<Exclude<Profile, 'default'>, string> = {
  device: 'device-leaf.tpl',
  service: 'service-leaf.tpl',
  'sub-ca': 'tenant-sub-ca.tpl',
};

const leaf = (ou: string, keyUsage: string[], eku: string[]): string => `{
  "subject": {"commonName": {{ toJson .Subject.CommonName }}, "organization": "CDM IoT Platform", "organizationalUnit": ${JSON.stringify(ou)}},
  "sans": {{ toJson .SANs }},
  "keyUsage": ${JSON.stringify(keyUsage)},
  "extKeyUsage": ${JSON.stringify(eku)},
  "basicConstraints": {"isCA": false}
}
`;

/** Template file contents, identical to what scripts/real-servers/stepca-init.mjs writes. */
export const TEMPLATE_TEXT: Record<string, string> = {
  'device-leaf.tpl': leaf('Devices', ['digitalSignature'], ['clientAuth']),
  'service-leaf.tpl': leaf('Services', ['digitalSignature', 'keyEncipherment'], ['serverAuth', 'clientAuth']),
  'tenant-sub-ca.tpl': `{
  "subject": {{ toJson .Subject }},
  "keyUsage": ["certSign", "crlSign"],
  "basicConstraints": {"isCA": true, "maxPathLen": 0}
}
`,
};

export function profileForTemplate(templateFile: string | undefined): Profile {
  if (!templateFile) return 'default';
  const base = templateFile.split('/').pop();
  const hit = (Object.entries(TEMPLATE_FILES) as Array<[Profile, string]>).find(([, f]) => f === base);
  return hit ? hit[0] : 'default';
}
