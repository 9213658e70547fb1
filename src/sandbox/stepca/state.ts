// What every step-ca handler works with.
import type { CaJson } from './config.js';
import type { CaDb } from './db.js';
import type { CaMaterial } from './material.js';

export type StepCaVersion = '0.19' | '0.28';

export interface CaState {
  version: StepCaVersion;
  config: CaJson;
  material: CaMaterial;
  db: CaDb;
  /** Process start truncated to the second: tokens with an earlier iat are refused. */
  startTime: number;
  now(): number;
}

export const VERSION_STRING: Record<StepCaVersion, string> = { '0.19': '0.19.0', '0.28': '0.28.0' };

/** step-ca backdates notBefore by one minute (authority.backdate default). */
export const BACKDATE_MS = 60_000;
