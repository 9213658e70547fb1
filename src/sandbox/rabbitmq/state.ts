// The RabbitMQ emulator's persistent state and the seed a fresh node starts with.
// A fresh RabbitMQ node has the default vhost `/` and the bootstrap admin (rabbitmq.conf's
// default_user) with full permissions on it; the seed reproduces exactly that.
import { hashPassword } from './passwords.js';

export interface VhostRecord {
  /** Stored as sent: the real server keeps non-string descriptions verbatim. */
  description: unknown;
  tags: string[];
}

export interface UserRecord {
  /** base64(salt ‖ sha256(salt ‖ password)); `""` means the user cannot log in with a password. */
  password_hash: string;
  tags: string[];
}

export interface PermissionRecord {
  user: string;
  vhost: string;
  configure: string;
  write: string;
  read: string;
}

export interface RabbitState {
  vhosts: Record<string, VhostRecord>;
  users: Record<string, UserRecord>;
  permissions: PermissionRecord[];
}

export const FULL_ACCESS = { configure: '.*', write: '.*', read: '.*' } as const;

export function seedState(adminUser: string, adminPassword: string): RabbitState {
  return {
    vhosts: { '/': { description: 'Default virtual host', tags: [] } },
    users: { [adminUser]: { password_hash: hashPassword(adminPassword), tags: ['administrator'] } },
    permissions: [{ user: adminUser, vhost: '/', ...FULL_ACCESS }],
  };
}

/** Byte-wise order, as Erlang sorts the binaries the real server lists. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function findPermission(state: RabbitState, vhost: string, user: string): PermissionRecord | undefined {
  return state.permissions.find((p) => p.vhost === vhost && p.user === user);
}

/** Own-property lookup, so a vhost or user named `constructor` or `__proto__` is just a name. */
export function lookup<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Own-property write (plain assignment to `__proto__` would change the prototype instead). */
export function setEntry<T>(table: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(table, key, { value, enumerable: true, writable: true, configurable: true });
}
