// Host key identity as OpenSSH shows it: the key type read from the wire-format public key blob,
// and `SHA256:<unpadded base64>` (what `ssh-keygen -lf` prints), so an operator can compare the
// prompt with the device's console or `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`.
import { createHash } from 'node:crypto';

/** The algorithm name at the start of an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) throw new Error('SSH public key blob too short');
  const len = blob.readUInt32BE(0);
  if (len === 0 || 4 + len > blob.length) throw new Error('SSH public key blob is malformed');
  return blob.subarray(4, 4 + len).toString('latin1');
}

export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** `ED25519`, `ECDSA`, `RSA`: the short name OpenSSH prints beside a fingerprint. */
export function keyLabel(type: string): string {
  if (type === 'ssh-ed25519') return 'ED25519';
  if (type.startsWith('ecdsa-')) return 'ECDSA';
  if (type === 'ssh-rsa' || type.startsWith('rsa-')) return 'RSA';
  if (type === 'ssh-dss') return 'DSA';
  return type;
}
