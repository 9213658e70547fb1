// User passwords are kept only as salted scrypt hashes, as ThingsBoard keeps bcrypt hashes in
// user_credentials; scrypt parameters are modest so suites with many logins stay fast.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

const N = 16384, R = 8, P = 1, LEN = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, LEN, { N, r: R, p: P });
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Asynchronous so that concurrent logins do not block the sandbox's event loop. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N, r: R, p: P }, (err, key) => (err ? reject(err) : resolve(key))));
  return timingSafeEqual(expected, actual);
}
