// Names and bounds of a seeded fleet, shared by the sandbox's seeding and `cdm stack seed` (which
// checks them before sending anything). No imports: the command tree loads this at startup.

/** Most devices one seed puts in (the sandbox's WireGuard /14 holds 262,141 of them in any case). */
export const SEED_MAX_DEVICES = 1_000_000;

/** Device ids must suit every service and FIQL without quoting: letters, digits, `.`, `_`, `-`. */
export const SEED_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const defaultSeedPrefix = (tenant: string): string => `seed-${tenant}-`;

/** Device n (1-based) of a seed: `<prefix><n>`, n zero-padded to at least 6 digits. */
export function seedDeviceId(prefix: string, devices: number, n: number): string {
  return `${prefix}${String(n).padStart(Math.max(6, String(devices).length), '0')}`;
}
