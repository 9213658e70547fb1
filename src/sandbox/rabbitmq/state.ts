// The RabbitMQ emulator's persistent state and the seed a fresh node starts with.
// A fresh RabbitMQ node has the default vhost `/` and the bootstrap admin (rabbitmq.conf's
// default_user) with full permissions on it; the seed reproduces exactly that. A node configured
// with `load_definitions` imports its definitions file at every boot on top: `applyDefinitions`.
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

/** What a definitions file (`load_definitions`) declares; users carry their password hash as rendered. */
export interface Definitions {
  vhosts: Array<{ name: string; description: string }>;
  users: Array<{ name: string; password_hash: string; tags: string[] }>;
  permissions: PermissionRecord[];
}

/** The boot-time import: declared objects are created or overwritten, others are left alone. */
export function applyDefinitions(state: RabbitState, defs: Definitions): void {
  for (const v of defs.vhosts) setEntry(state.vhosts, v.name, { description: v.description, tags: lookup(state.vhosts, v.name)?.tags ?? [] });
  for (const u of defs.users) setEntry(state.users, u.name, { password_hash: u.password_hash, tags: [...u.tags] });
  for (const p of defs.permissions) {
    const i = state.permissions.findIndex((q) => q.vhost === p.vhost && q.user === p.user);
    if (i >= 0) state.permissions[i] = { ...p };
    else state.permissions.push({ ...p });
  }
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
