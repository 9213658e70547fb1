// Root pinning: the fingerprint is the lowercase hex SHA-256 of the certificate DER, without
// colons (what step-ca, `step certificate fingerprint` and ca.json use).
import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors.js';

export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

export function sha1Hex(der: Uint8Array): string {
  return createHash('sha1').update(der).digest('hex');
}

/** Accepts `AB:CD:…`, `ab-cd…` or plain hex; returns plain lowercase hex. */
export function parseFingerprint(text: string): string {
  const s = text.trim().replace(/[:-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(s)) throw new UsageError(`invalid fingerprint "${text}": expected the 64 hex digits of a SHA-256 fingerprint`);
  return s;
}
