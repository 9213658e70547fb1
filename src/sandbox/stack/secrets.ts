// The sandbox's generated secrets: made once per state dir, kept in a 0600 file, handed to
// `cdm stack up` so it can store working credentials in the contexts it writes.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../kit/atomic-file.js';
import { files } from './layout.js';

export interface StackSecrets {
  keycloakAdminPassword: string;
  operatorPassword: string;
  /** Secret of the confidential client `cdm-sandbox` (service account with the admin roles). */
  sandboxClientSecret: string;
  provisionerPassword: string;
}

export interface TenantSecrets extends StackSecrets {
  hawkbitPassword: string;
  thingsboardPassword: string;
}

export interface SandboxSecrets {
  /** Bearer of the sandbox control API (device simulations). */
  controlToken: string;
  provider: StackSecrets & { rabbitmqAdminPassword: string };
  tenants: Record<string, TenantSecrets>;
}

const secret = (): string => randomBytes(18).toString('base64url');

function stackSecrets(): StackSecrets {
  return { keycloakAdminPassword: secret(), operatorPassword: secret(), sandboxClientSecret: secret(), provisionerPassword: secret() };
}

export function loadSecrets(stateDir: string, tenants: string[]): SandboxSecrets {
  let doc: SandboxSecrets | undefined;
  try {
    doc = JSON.parse(readFileSync(files.secrets(stateDir), 'utf8')) as SandboxSecrets;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let changed = false;
  if (!doc) {
    doc = { controlToken: secret(), provider: { ...stackSecrets(), rabbitmqAdminPassword: secret() }, tenants: {} };
    changed = true;
  }
  if (!doc.controlToken) {
    doc.controlToken = secret();
    changed = true;
  }
  for (const t of tenants) {
    const existing = doc.tenants[t];
    if (!existing) {
      doc.tenants[t] = { ...stackSecrets(), hawkbitPassword: secret(), thingsboardPassword: secret() };
      changed = true;
    } else if (!existing.hawkbitPassword || !existing.thingsboardPassword) {
      // A state dir from before hawkBit and ThingsBoard joined the tenant stack.
      existing.hawkbitPassword ||= secret();
      existing.thingsboardPassword ||= secret();
      changed = true;
    }
  }
  if (changed) {
    writeFileAtomic(files.secrets(stateDir), JSON.stringify(doc, null, 2), 0o600);
    // One file per operator password, so a person can log in with
    // `cdm auth login --username operator --password-stdin < <file>` (never through argv).
    writeFileAtomic(files.operatorPassword(stateDir, 'provider'), `${doc.provider.operatorPassword}\n`, 0o600);
    for (const [t, sec] of Object.entries(doc.tenants)) writeFileAtomic(files.operatorPassword(stateDir, t), `${sec.operatorPassword}\n`, 0o600);
  }
  return doc;
}
