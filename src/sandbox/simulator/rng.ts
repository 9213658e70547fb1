// Per-device deterministic randomness, so a simulation with the same seed behaves the same.
import { mulberry32 } from '../kit/rng.js';

export function deviceRng(seed: number, index: number): () => number {
  return mulberry32((seed * 2654435761 + index * 40503) >>> 0);
}
