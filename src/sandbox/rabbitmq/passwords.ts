// RabbitMQ's default password hashing (rabbit_password_hashing_sha256):
// base64(salt ‖ sha256(salt ‖ password)) with a 4-byte random salt. Hashes made here verify
// on a real node and the other way round, so definitions can move between the two.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const HASHING_ALGORITHM = 'rabbit_password_hashing_sha256';
const SALT_BYTES = 4;

export function hashPassword(password: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  return Buffer.concat([salt, digest(salt, password)]).toString('base64');
}

/** A hash nobody knows the password of: the real server stores one when a PUT gives neither password nor hash. */
export function unguessableHash(): string {
  return hashPassword(randomBytes(32).toString('hex'));
}

export function verifyPassword(passwordHash: string, password: string): boolean {
  // The internal backend refuses empty passwords whatever is stored, and `""` hashes cannot log in.
  if (password === '' || passwordHash === '') return false;
  const raw = Buffer.from(passwordHash, 'base64');
  if (raw.length !== SALT_BYTES + 32) return false;
  return timingSafeEqual(raw.subarray(SALT_BYTES), digest(raw.subarray(0, SALT_BYTES), password));
}

/** Strict base64 as Erlang's base64:decode accepts it (padded, length a multiple of 4). */
export function isBase64(s: string): boolean {
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s);
}

function digest(salt: Buffer, password: string): Buffer {
  return createHash('sha256').update(salt).update(password, 'utf8').digest();
}
