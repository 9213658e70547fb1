// The signing key of a JWK provisioner, as the step client gets it: the provisioner is found by
// name in /provisioners (paged), its encrypted key (inline, or from /provisioners/{kid}/encrypted-key)
// is decrypted with the password stored for the context (`cdm auth set-credential stepca`).
// The password is resolved before anything is sent, so a missing one is exit 2 with no request.
import type { JWK } from 'jose';
import { resolveSecret } from '../../config/secret-ref.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { decryptProvisionerKey } from '../../pki/provisioner-key.js';
import type { StepCaConnection } from './connect.js';
import { SERVICE } from './errors.js';

export interface ProvisionerSecret {
  name: string;
  password: string;
}

/** Which provisioner (flag > context > stored credential's username) and its password. */
export async function provisionerSecret(f: Factory, conn: StepCaConnection, flag: string | undefined): Promise<ProvisionerSecret> {
  const ctx = conn.context;
  const cred = (await f.credentials()).service(ctx.name, 'stepca');
  const name = flag ?? conn.endpoint.provisioner ?? cred?.username;
  if (!name) {
    throw new UsageError(`no step-ca provisioner named for context "${ctx.name}"`, { hint: 'pass --provisioner <name>, or set it with `cdm context add … --stepca-provisioner <name>`' });
  }
  if (!cred) {
    throw new UsageError(`no step-ca provisioner password stored for context "${ctx.name}"`, {
      hint: `store it: printf %s "$PROVISIONER_PASSWORD" | cdm auth set-credential stepca --username ${name} --context ${ctx.name}`,
    });
  }
  return { name, password: await resolveSecret(cred.secret, f.io.env) };
}

export interface ProvisionerKey {
  name: string;
  key: JWK;
}

export async function provisionerKey(conn: StepCaConnection, secret: ProvisionerSecret): Promise<ProvisionerKey> {
  const client = await conn.client();
  const jwk: string[] = [];
  for await (const p of client.provisioners()) {
    if (p.type.toUpperCase() !== 'JWK') continue;
    jwk.push(p.name);
    if (p.name !== secret.name || !p.key?.kid) continue;
    const encryptedKey = p.encryptedKey ?? (await client.encryptedKey(p.key.kid));
    return { name: p.name, key: await decryptProvisionerKey({ provisioner: p.name, encryptedKey, password: secret.password, publicKey: p.key }) };
  }
  throw new NotFoundError(`step-ca at ${conn.url} has no JWK provisioner "${secret.name}"`, {
    service: SERVICE,
    hint: jwk.length ? `JWK provisioners there: ${jwk.join(', ')} (pass --provisioner <name>)` : 'the CA has no JWK provisioner',
  });
}
