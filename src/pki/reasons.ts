// RFC 5280 CRLReason, by name or code. Code 7 is unassigned; step-ca accepts 0..10 and answers
// 400 "reasonCode out of bounds" otherwise, so cdm refuses both before sending anything. Names
// match like `step ca revoke` does: case-insensitive, spaces ignored ("key compromise" → 1).
import { UsageError } from '../core/errors.js';

export const REASONS: ReadonlyArray<readonly [number, string]> = [
  [0, 'unspecified'],
  [1, 'keyCompromise'],
  [2, 'cACompromise'],
  [3, 'affiliationChanged'],
  [4, 'superseded'],
  [5, 'cessationOfOperation'],
  [6, 'certificateHold'],
  [8, 'removeFromCRL'],
  [9, 'privilegeWithdrawn'],
  [10, 'aACompromise'],
];

export const REASON_NAMES: readonly string[] = REASONS.map(([, n]) => n);

export interface Reason {
  code: number;
  name: string;
}

export function reasonName(code: number): string | undefined {
  return REASONS.find(([c]) => c === code)?.[1];
}

export function parseReason(text: string): Reason {
  const s = text.trim();
  if (/^\d+$/.test(s)) {
    const code = Number(s);
    const name = reasonName(code);
    if (name !== undefined) return { code, name };
  } else {
    const key = s.replace(/\s+/g, '').toLowerCase();
    const hit = REASONS.find(([, n]) => n.toLowerCase() === key);
    if (hit) return { code: hit[0], name: hit[1] };
  }
  throw new UsageError(`invalid reason "${text}": use an RFC 5280 reason name or its code 0-10 (not 7): ${REASONS.map(([c, n]) => `${n} (${c})`).join(', ')}`);
}
