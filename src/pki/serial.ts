// Certificate serial numbers as operators type them: decimal (what step-ca stores and prints)
// or hex, `0x`-prefixed (colons allowed) or as colon-separated pairs (`openssl x509 -text`).
// step-ca normalises to decimal and, since 0.21, refuses anything else; 0.19 stored any string
// verbatim (a filename "revoked" silently, smallstep/cli#440), so cdm validates before anything
// is sent.
import { UsageError } from '../core/errors.js';

export interface Serial {
  /** Decimal string: the form step-ca compares and stores. */
  decimal: string;
  /** Lowercase hex, even length, no prefix. */
  hex: string;
}

export function serialFromBigInt(v: bigint): Serial {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return { decimal: v.toString(10), hex };
}

export function parseSerial(text: string): Serial {
  const s = text.trim();
  let v: bigint | undefined;
  if (/^[0-9]+$/.test(s)) v = BigInt(s);
  else if (/^0[xX][0-9a-fA-F]+(:[0-9a-fA-F]+)*$/.test(s)) v = BigInt(`0x${s.slice(2).replace(/:/g, '')}`);
  // Colon-separated pairs (`openssl x509 -text`, browsers) are hex without a prefix: the colons
  // tell them from a decimal serial.
  else if (/^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{2})+$/.test(s)) v = BigInt(`0x${s.replace(/:/g, '')}`);
  if (v === undefined || v <= 0n) {
    throw new UsageError(`invalid serial "${text}": use the decimal serial (as \`cdm cert inspect\` prints it), 0x-prefixed hex, or hex pairs with colons (3d:60:e7)`);
  }
  return serialFromBigInt(v);
}

/** Colon-separated uppercase hex pairs, as `openssl x509 -serial` and browsers show serials. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}
