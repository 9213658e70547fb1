// Fingerprints as `ssh-keygen -lf` prints them (expected values taken from ssh-keygen 9.2).
import { describe, expect, it } from 'vitest';
import { keyLabel, keyTypeOf, sha256Fingerprint } from '../../../src/ssh/fingerprint.js';

const ED = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAICeN7WkAFp7jSuucuqGLccQ5HMGvVvThxxV9Q+p385pb', 'base64');
const EC = Buffer.from('AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA0dVRY7s6OGM1338yzI37WbYeT9k39tJJUyXtsLFaPU1rRmKQCEwmiNrhlTpI9bF5v9fQ5lUCiR2WdsCN32Ju0=', 'base64');

describe('host key fingerprints', () => {
  it('SHA256:<unpadded base64>, identical to ssh-keygen -lf', () => {
    expect(sha256Fingerprint(ED)).toBe('SHA256:5iOG7Y7MUN6JPnS/ykYon4/InGXensBRmJZOygxdZac');
    expect(sha256Fingerprint(EC)).toBe('SHA256:jr2U0vTH8QfBCjLzTghY4oEW3TmglaPvB+5y0u2t6QE');
  });

  it('reads the key type from the blob and labels it like ssh', () => {
    expect(keyTypeOf(ED)).toBe('ssh-ed25519');
    expect(keyTypeOf(EC)).toBe('ecdsa-sha2-nistp256');
    expect(keyLabel('ssh-ed25519')).toBe('ED25519');
    expect(keyLabel('ecdsa-sha2-nistp256')).toBe('ECDSA');
    expect(keyLabel('rsa-sha2-512')).toBe('RSA');
  });

  it('refuses malformed blobs', () => {
    expect(() => keyTypeOf(Buffer.from([0, 0]))).toThrow(/too short/);
    expect(() => keyTypeOf(Buffer.from([0, 0, 0, 9, 65]))).toThrow(/malformed/);
  });
});
