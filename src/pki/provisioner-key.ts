// The private key of a JWK provisioner, as step-ca serves it: a compact JWE (PBES2-HS256+A128KW,
// A256GCM or A128GCM) of the private JWK, encrypted with the provisioner password. Decrypted
// locally; a wrong password is an authentication failure (exit 4) and nothing reaches /sign.
import { calculateJwkThumbprint, compactDecrypt, decodeProtectedHeader, type JWK } from 'jose';
import { AuthError, BackendError } from '../core/errors.js';

/** step-generated keys use 100000 PBKDF2 rounds; jose's default cap (10000) would refuse them. */
const MAX_PBES2_COUNT = 1_000_000;

export interface ProvisionerKeyInput {
  provisioner: string;
  encryptedKey: string;
  password: string;
  /** The public key the CA publishes for the provisioner: the decrypted key must match it. */
  publicKey: JWK;
}

export async function decryptProvisionerKey(i: ProvisionerKeyInput): Promise<JWK> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(i.encryptedKey);
  } catch {
    throw new BackendError(`step-ca: the encrypted key of provisioner "${i.provisioner}" is not a JWE`, { service: 'step-ca' });
  }
  if (typeof header.alg !== 'string' || !header.alg.startsWith('PBES2-')) {
    throw new BackendError(`step-ca: the key of provisioner "${i.provisioner}" is not password-protected (alg ${String(header.alg)})`, { service: 'step-ca' });
  }
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(i.encryptedKey, new TextEncoder().encode(i.password), {
      maxPBES2Count: MAX_PBES2_COUNT,
      // jose only accepts password-based key wrapping when it is asked for explicitly.
      keyManagementAlgorithms: ['PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'],
      contentEncryptionAlgorithms: ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'],
    }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_JWE_DECRYPTION_FAILED') {
      throw new AuthError(`the provisioner password is wrong: it does not decrypt the key of provisioner "${i.provisioner}"; nothing was requested from the CA but that encrypted key`, {
        service: 'step-ca',
        hint: `store the right password with \`cdm auth set-credential stepca --username ${i.provisioner}\``,
      });
    }
    throw new BackendError(`step-ca: cannot decrypt the key of provisioner "${i.provisioner}": ${(err as Error).message}`, { service: 'step-ca' });
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
  } catch {
    throw new BackendError(`step-ca: the decrypted key of provisioner "${i.provisioner}" is not a JWK`, { service: 'step-ca' });
  }
  if (!jwk.d) throw new BackendError(`step-ca: the decrypted key of provisioner "${i.provisioner}" has no private part`, { service: 'step-ca' });
  // A key that is not the published one would make every token fail with a bare 401.
  const published = await calculateJwkThumbprint(i.publicKey);
  if ((await calculateJwkThumbprint(jwk)) !== published) {
    throw new BackendError(`step-ca: the decrypted key of provisioner "${i.provisioner}" does not match its published public key`, { service: 'step-ca' });
  }
  return { ...jwk, kid: i.publicKey.kid ?? jwk.kid ?? published, ...(i.publicKey.alg ? { alg: i.publicKey.alg } : {}) };
}
