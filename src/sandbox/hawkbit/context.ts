// What every group of routes gets: the state, the clock, the public base URL and the artifact
// store, plus the caller (set per request by the auth guard) for the audit fields.
import type { JsonStore } from '../kit/store.js';
import type { BlobStore } from './blobs.js';
import type { HbState } from './state.js';
import type { TargetIndex } from './target-index.js';

export interface Hb {
  store: JsonStore<HbState>;
  now(): number;
  /** Base of `_links` and download URLs, no trailing slash (e.g. http://127.0.0.1:8070/hawkbit). */
  publicUrl: string;
  /** DDI tenant path segment as configured (hawkBit's own tenant: `DEFAULT`). */
  tenant: string;
  blobs: BlobStore;
  /** Default order and id lookup of the targets; routes that add or remove targets invalidate it. */
  targets: TargetIndex;
  /** Runs one pass of the rollout scheduler (hawkBit's RolloutScheduler.runningRolloutScheduler). */
  runScheduler(): void;
  /**
   * Re-evaluates running rollouts after an action changed state. hawkBit itself only notices on
   * its next scheduler pass (every 2 s); the emulator evaluates at once so results are immediate.
   */
  onActionsChanged(): void;
}

export function link(hb: Hb, path: string, name?: string): { href: string; name?: string } {
  return name === undefined ? { href: `${hb.publicUrl}${path}` } : { href: `${hb.publicUrl}${path}`, name };
}

const callers = new WeakMap<object, string>();

/** Remembers the authenticated Management API user of a request (for the audit fields). */
export function setCaller(req: object, username: string): void {
  callers.set(req, username);
}

export function callerOf(req: object): string {
  return callers.get(req) ?? 'system';
}
