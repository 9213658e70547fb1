// Keys, CSRs, one-time tokens (checked with jose, independently of how they were built) and the
// provisioner key decryption, including the wrong-password path.
import { createPrivateKey } from 'node:crypto';
import { CompactEncrypt, calculateJwkThumbprint, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError, BackendError, UsageError } from '../../../src/core/errors.js';
import { createCsr, readCsrFile } from '../../../src/pki/csr.js';
import { describePublicKey, generateEcKey, keyMatchesCertificate, readPrivateKey, spkiDer } from '../../../src/pki/keys.js';
import { mintOtt, ottAudience } from '../../../src/pki/ott.js';
import { decryptProvisionerKey } from '../../../src/pki/provisioner-key.js';
import { collectSans } from '../../../src/pki/sans.js';
import { makePki } from './fixtures.js';

describe('keys', () => {
  it('generates EC P-256 keys as PKCS#8 PEM that match their own public half', async () => {
    const k = generateEcKey();
    expect(k.privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = readPrivateKey(k.privatePem, 'k.pem');
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(describePublicKey(spkiDer(key))).toBe('EC P-256');
  });

  it('refuses encrypted and non-key PEM', () => {
    expect(() => readPrivateKey('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n', 'x.key')).toThrow(/encrypted private keys/);
    expect(() => readPrivateKey('hello', 'x.key')).toThrow(UsageError);
  });

  it('tells whether a key belongs to a certificate', async () => {
    const pki = await makePki();
    const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', pki.leafKeys.privateKey));
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    expect(keyMatchesCertificate(key, pki.leafPem)).toBe(true);
    expect(keyMatchesCertificate(readPrivateKey((generateEcKey()).privatePem, 'o'), pki.leafPem)).toBe(false);
  });
});

describe('CSRs', () => {
  it('builds a signed CSR with the CN and every SAN type, and reads it back', async () => {
    const k = generateEcKey();
    const pem = createCsr(k.pair, 'dev-0042', collectSans('dev-0042', ['10.0.0.42', 'ops@acme.example', 'spiffe://acme/dev-0042']));
    const info = await readCsrFile(Buffer.from(pem), 'dev.csr');
    expect(info).toMatchObject({ commonName: 'dev-0042', keyType: 'EC P-256', signatureValid: true });
    expect(info.sans).toEqual([
      { type: 'dns', value: 'dev-0042' }, { type: 'ip', value: '10.0.0.42' },
      { type: 'email', value: 'ops@acme.example' }, { type: 'url', value: 'spiffe://acme/dev-0042' },
    ]);
    expect(info.spki.equals(spkiDer(readPrivateKey(k.privatePem, 'k')))).toBe(true);
  });

  it('reads DER CSRs and refuses malformed or tampered ones', async () => {
    const pki = await makePki();
    expect((await readCsrFile(pki.csrDer, 'x.der')).commonName).toBe('dev-csr');
    await expect(readCsrFile(Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIBnotacsr\n-----END CERTIFICATE REQUEST-----\n'), 'bad.csr')).rejects.toThrow(/malformed certificate request/);
    await expect(readCsrFile(Buffer.from(pki.leafPem), 'cert.pem')).rejects.toThrow(/no CERTIFICATE REQUEST/);
    await expect(readCsrFile(Buffer.from('my-hostname\n'), 'hostname')).rejects.toThrow('hostname: not a certificate request (neither PEM nor DER)');
    const tampered = Buffer.from(pki.csrDer);
    tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 0xff;
    await expect(readCsrFile(tampered, 't.der')).rejects.toThrow(UsageError);
  });
});

async function provisioner(): Promise<{ pub: JWK; priv: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  return { pub: { ...pub, kid, alg: 'ES256', use: 'sig' }, priv: { ...(await exportJWK(privateKey)), kid } };
}

describe('one-time tokens', () => {
  it('carries exactly the claims step-ca checks, signed with the provisioner key', async () => {
    const { pub, priv } = await provisioner();
    const now = Date.now();
    const ott = await mintOtt({ key: priv, provisioner: 'iot-bridge', caUrl: 'https://ca.example.com:9000/', purpose: 'sign', subject: 'dev-0042', sans: ['dev-0042', '10.0.0.42'], sha: 'ab'.repeat(32), now });
    expect(decodeProtectedHeader(ott)).toEqual({ alg: 'ES256', kid: pub.kid, typ: 'JWT' });
    const { payload } = await jwtVerify(ott, await importJWK(pub, 'ES256'), { issuer: 'iot-bridge', audience: 'https://ca.example.com:9000/1.0/sign', subject: 'dev-0042' });
    const iat = Math.floor(now / 1000);
    expect(payload).toMatchObject({ sans: ['dev-0042', '10.0.0.42'], sha: 'ab'.repeat(32), iat, nbf: iat, exp: iat + 300 });
    expect(typeof payload.aud).toBe('string');
    expect(payload.jti).toMatch(/^[0-9a-f]{64}$/);
    const again = await mintOtt({ key: priv, provisioner: 'iot-bridge', caUrl: 'https://ca.example.com:9000', purpose: 'sign', subject: 'dev-0042', now });
    expect((await jwtVerify(again, await importJWK(pub, 'ES256'))).payload.jti).not.toBe(payload.jti);
  });

  it('revoke tokens: revoke audience, subject = decimal serial, no sans', async () => {
    const { pub, priv } = await provisioner();
    const ott = await mintOtt({ key: priv, provisioner: 'iot-bridge', caUrl: 'https://127.0.0.1:19000', purpose: 'revoke', subject: '2571', now: Date.now() });
    const { payload } = await jwtVerify(ott, await importJWK(pub, 'ES256'), { audience: ottAudience('https://127.0.0.1:19000', 'revoke') });
    expect(payload.sub).toBe('2571');
    expect(payload.aud).toBe('https://127.0.0.1:19000/1.0/revoke');
    expect(payload.sans).toBeUndefined();
  });
});

describe('provisioner key decryption', () => {
  async function encrypted(password: string, enc = 'A256GCM') {
    const { pub, priv } = await provisioner();
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(priv)))
      .setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc, cty: 'jwk+json' })
      .setKeyManagementParameters({ p2c: 100_000 })
      .encrypt(new TextEncoder().encode(password));
    return { pub, priv, jwe };
  }

  it('decrypts step\'s PBES2 JWE (100000 rounds, A256GCM or A128GCM) into a key that signs tokens', async () => {
    for (const enc of ['A256GCM', 'A128GCM']) {
      const { pub, jwe } = await encrypted('s3cret', enc);
      const key = await decryptProvisionerKey({ provisioner: 'iot-bridge', encryptedKey: jwe, password: 's3cret', publicKey: pub });
      expect(key.kid).toBe(pub.kid);
      const ott = await mintOtt({ key, provisioner: 'iot-bridge', caUrl: 'https://ca', purpose: 'sign', subject: 'x', now: Date.now() });
      await expect(jwtVerify(ott, await importJWK(pub, 'ES256'))).resolves.toBeTruthy();
    }
  });

  it('a wrong password is an AuthError (exit 4) naming set-credential', async () => {
    const { pub, jwe } = await encrypted('s3cret');
    const err = await decryptProvisionerKey({ provisioner: 'iot-bridge', encryptedKey: jwe, password: 'wrong', publicKey: pub }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).exitCode).toBe(4);
    expect((err as AuthError).hint).toContain('cdm auth set-credential stepca --username iot-bridge');
  });

  it('a key that is not the published one, or not a JWE, is a backend error', async () => {
    const { jwe } = await encrypted('s3cret');
    const other = await provisioner();
    await expect(decryptProvisionerKey({ provisioner: 'p', encryptedKey: jwe, password: 's3cret', publicKey: other.pub })).rejects.toThrow(/does not match its published public key/);
    await expect(decryptProvisionerKey({ provisioner: 'p', encryptedKey: 'garbage', password: 's', publicKey: other.pub })).rejects.toBeInstanceOf(BackendError);
  });
});
